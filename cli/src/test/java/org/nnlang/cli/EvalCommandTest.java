package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.compiler.Compiler;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.io.Checkpoints;
import org.nnlang.runtime.io.Safetensors;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/** {@code nn train --save / --init} and {@code nn eval}, end to end; checkpoints of compiled models. */
class EvalCommandTest {
    private static final String SEED_MLP_MODEL = String.join("\n",
            "model SeedMlp {",
            "    input x: [1, 28, 28]",
            "    flatten",
            "    linear(128)",
            "    relu",
            "    linear(10)",
            "}",
            "");
    private static final String SEED_MLP = SEED_MLP_MODEL + String.join("\n",
            "train SeedMlp {",
            "    data      = fashion_mnist",
            "    loss      = cross_entropy",
            "    optimizer = adam(lr = 0.001)",
            "    batch     = 32",
            "    epochs    = 1",
            "    seed      = 42",
            "}",
            "");
    /** The model of scripts/reference/safetensors_fixtures.py. */
    private static final String TINY_NET = String.join("\n",
            "model TinyNet {",
            "    input x: [1, 4, 4]",
            "    flatten",
            "    linear(8)",
            "    batchnorm",
            "    relu",
            "    linear(3)",
            "}",
            "",
            "train TinyNet {",
            "    data      = fashion_mnist",
            "    loss      = cross_entropy",
            "    optimizer = adam(lr = 0.01)",
            "    batch     = 4",
            "}",
            "");
    private static final Path TORCH_WRITTEN =
            Path.of("..", "runtime", "src", "test", "resources", "fixtures", "torch-written.safetensors");
    private static final Path TORCH_JSON =
            Path.of("..", "runtime", "src", "test", "resources", "fixtures", "torch-written.json");

    @TempDir
    Path dir;

    @Test
    void evalOfSavedWeightsGivesTheAccuracyOfTheLastEpoch() throws Exception {
        Path nn = Files.writeString(dir.resolve("seed-mlp.nn"), SEED_MLP);
        Path weights = dir.resolve("out/seed-mlp.safetensors"); // the folder is created
        Path report = dir.resolve("run.json");
        NnRun train = NnRun.of("train", nn.toString(), "--save", weights.toString(), "--report", report.toString());
        assertThat(train.status()).as(train.toString()).isZero();
        assertThat(train.out()).contains("weights saved to " + weights);
        JsonArray epochs = JsonParser.parseString(Files.readString(report)).getAsJsonObject().getAsJsonArray("epochs");
        double trainedAccuracy = epochs.get(0).getAsJsonObject().get("test_accuracy").getAsDouble();

        NnRun eval = NnRun.of("eval", nn.toString(), "--weights", weights.toString());
        assertThat(eval.status()).as(eval.toString()).isZero();
        assertThat(eval.err()).isEmpty();
        assertThat(eval.out())
                .contains("model    SeedMlp, 101,770 parameters")
                .contains("weights  " + weights + " (saved by nnlang ")
                .contains("from model SeedMlp)")
                .contains("bundled Fashion-MNIST sample: 2,000 test samples")
                .contains(String.format(Locale.ROOT, "test acc %.2f%%", 100 * trainedAccuracy));
        Matcher m = Pattern.compile("test loss (\\d+\\.\\d{4}) \\(cross-entropy\\)  test acc [\\d.]+% \\(([\\d,]+) of "
                + "2,000\\)").matcher(eval.out());
        assertThat(m.find()).as(eval.out()).isTrue();
        assertThat(Integer.parseInt(m.group(2).replace(",", "")) / 2000.0).isEqualTo(trainedAccuracy);
        assertThat(Double.parseDouble(m.group(1))).isBetween(0.1, 1.5);
    }

    @Test
    void initStartsFromTheSavedWeights() throws Exception {
        Path data = smallData();
        Path nn = Files.writeString(dir.resolve("seed-mlp.nn"), SEED_MLP);
        // The same model with a learning rate of 0: training leaves the weights it starts from untouched.
        Path frozen = Files.writeString(dir.resolve("frozen.nn"), SEED_MLP.replace("adam(lr = 0.001)", "sgd(lr = 0)"));
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        NnRun first = NnRun.of("train", nn.toString(), "--data", data.toString(), "--save", a.toString());
        assertThat(first.status()).as(first.toString()).isZero();
        NnRun second = NnRun.of("train", frozen.toString(), "--data", data.toString(), "--init", a.toString(),
                "--save", b.toString());
        assertThat(second.status()).as(second.toString()).isZero();
        assertThat(second.out()).contains("weights  " + a + " (saved by nnlang ");
        assertThat(Safetensors.read(b).tensors()).isEqualTo(Safetensors.read(a).tensors());
    }

    @Test
    void initWithAnotherModelsWeightsExits2NamingTheTensor() throws Exception {
        Path data = smallData();
        Path other = Files.writeString(dir.resolve("other.nn"), SEED_MLP.replace("SeedMlp", "Narrow")
                .replace("linear(128)", "linear(64)"));
        Path weights = dir.resolve("narrow.safetensors");
        NnRun save = NnRun.of("train", other.toString(), "--data", data.toString(), "--save", weights.toString());
        assertThat(save.status()).as(save.toString()).isZero();

        Path nn = Files.writeString(dir.resolve("seed-mlp.nn"), SEED_MLP);
        NnRun run = NnRun.of("train", nn.toString(), "--data", data.toString(), "--init", weights.toString());
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("error: checkpoint " + weights + " does not fit model 'SeedMlp': ")
                .contains("tensor 'linear1.weight' has shape [64, 784] in the file but [128, 784] in the model")
                .contains("saved from 'Narrow'")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).as("nothing was trained").doesNotContain("epoch 1");

        NnRun eval = NnRun.of("eval", nn.toString(), "--weights", weights.toString());
        assertThat(eval.status()).as(eval.toString()).isEqualTo(2);
        assertThat(eval.err()).contains("tensor 'linear1.weight' has shape [64, 784]").doesNotContain("\tat ");
    }

    @Test
    void damagedOrMissingWeightsAreUserErrors() throws Exception {
        Path nn = Files.writeString(dir.resolve("seed-mlp.nn"), SEED_MLP);
        Path damaged = Files.write(dir.resolve("damaged.safetensors"), new byte[] {1, 0, 0, 0, 0, 0, 0, 0, '{'});
        NnRun run = NnRun.of("eval", nn.toString(), "--weights", damaged.toString());
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: " + damaged + ": damaged safetensors file: ")
                .doesNotContain("\tat ");

        NnRun missing = NnRun.of("eval", nn.toString(), "--weights", dir.resolve("none.safetensors").toString());
        assertThat(missing.status()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("--weights: file not found");

        NnRun noOption = NnRun.of("eval", nn.toString());
        assertThat(noOption.status()).as(noOption.toString()).isEqualTo(2);
        assertThat(noOption.err()).contains("--weights");

        NnRun initMissing = NnRun.of("train", nn.toString(), "--init", dir.resolve("none.safetensors").toString());
        assertThat(initMissing.status()).as(initMissing.toString()).isEqualTo(2);
        assertThat(initMissing.err()).contains("--init: file not found");

        NnRun saveIntoFolder = NnRun.of("train", nn.toString(), "--save", dir.toString());
        assertThat(saveIntoFolder.status()).as(saveIntoFolder.toString()).isEqualTo(2);
        assertThat(saveIntoFolder.err()).contains("is a folder");
    }

    /** The PyTorch twin's weights, loaded into the compiled model, give PyTorch's evaluation-mode logits. */
    @Test
    void pyTorchCheckpointGivesPyTorchsOutputs() throws Exception {
        JsonObject fixture = JsonParser.parseString(Files.readString(TORCH_JSON)).getAsJsonObject();
        float[] inputs = floats(fixture.getAsJsonArray("inputs"));
        float[] logits = floats(fixture.getAsJsonArray("logits"));
        ExecutionPlan plan = tinyNetPlan();
        try (Executable executable = new CpuBackend(1).load(plan, 4, new Rng(0))) {
            Checkpoints.load(executable, TORCH_WRITTEN);
            System.arraycopy(inputs, 0, executable.buffer(plan.input()), 0, inputs.length);
            executable.infer(4);
            float[] output = executable.buffer(plan.output());
            for (int i = 0; i < logits.length; i++) {
                assertThat(output[i]).as("logit %d", i).isCloseTo(logits[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    /**
     * With its optimizer state, a checkpoint resumes training exactly: 3 steps, save, load into a freshly (and
     * differently) initialised model, 3 more steps, gives bit for bit what 6 steps in one go give.
     */
    @Test
    void checkpointWithOptimizerStateResumesTrainingExactly() throws Exception {
        ExecutionPlan plan = tinyNetPlan();
        float[][] inputs = new float[6][4 * 16];
        float[][] labels = new float[6][4];
        Random random = new Random(7);
        for (int s = 0; s < 6; s++) {
            for (int i = 0; i < inputs[s].length; i++) {
                inputs[s][i] = random.nextFloat();
            }
            for (int i = 0; i < 4; i++) {
                labels[s][i] = random.nextInt(3);
            }
        }
        Path file = dir.resolve("resume.safetensors");
        Path weightsOnly = dir.resolve("weights.safetensors");
        try (Executable straight = new CpuBackend(1).load(plan, 4, new Rng(1));
             Executable first = new CpuBackend(1).load(plan, 4, new Rng(1));
             Executable resumed = new CpuBackend(1).load(plan, 4, new Rng(99));
             Executable restarted = new CpuBackend(1).load(plan, 4, new Rng(99))) {
            steps(straight, inputs, labels, 0, 6);
            steps(first, inputs, labels, 0, 3);
            Checkpoints.save(first, file, true);
            Checkpoints.save(first, weightsOnly);
            Checkpoints.load(resumed, file, true);
            steps(resumed, inputs, labels, 3, 6);
            Checkpoints.load(restarted, weightsOnly);
            steps(restarted, inputs, labels, 3, 6);
            boolean restartDiffers = false;
            for (BufferSpec spec : plan.buffers()) {
                if (List.of(BufferRole.PARAMETER, BufferRole.MODEL_STATE, BufferRole.OPTIMIZER_STATE)
                        .contains(spec.role())) {
                    assertThat(resumed.buffer(spec.id())).as(spec.name()).containsExactly(straight.buffer(spec.id()));
                    restartDiffers |= !java.util.Arrays.equals(restarted.buffer(spec.id()), straight.buffer(spec.id()));
                }
            }
            assertThat(restartDiffers).as("without optimizer state, Adam starts over").isTrue();
        }
    }

    private static void steps(Executable executable, float[][] inputs, float[][] labels, int from, int to) {
        ExecutionPlan plan = executable.plan();
        for (int s = from; s < to; s++) {
            System.arraycopy(inputs[s], 0, executable.buffer(plan.input()), 0, inputs[s].length);
            System.arraycopy(labels[s], 0, executable.buffer(plan.target()), 0, labels[s].length);
            executable.trainStep(4);
        }
    }

    private ExecutionPlan tinyNetPlan() throws Exception {
        Path nn = Files.writeString(dir.resolve("tiny.nn"), TINY_NET);
        return Compiler.compile(nn).trainingJob(null).orElseThrow().plan();
    }

    /** A folder of MNIST-format files with 96 training and 32 test images of random pixels: a fast epoch. */
    private Path smallData() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Random random = new Random(3);
        writeIdx(data, "train", 96, random);
        writeIdx(data, "t10k", 32, random);
        return data;
    }

    private static void writeIdx(Path dir, String prefix, int count, Random random) throws Exception {
        try (DataOutputStream images = new DataOutputStream(Files.newOutputStream(
                dir.resolve(prefix + "-images-idx3-ubyte")));
             DataOutputStream labels = new DataOutputStream(Files.newOutputStream(
                     dir.resolve(prefix + "-labels-idx1-ubyte")))) {
            images.writeInt(0x00000803);
            images.writeInt(count);
            images.writeInt(28);
            images.writeInt(28);
            byte[] pixels = new byte[count * 28 * 28];
            random.nextBytes(pixels);
            images.write(pixels);
            labels.writeInt(0x00000801);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                labels.writeByte(i % 10);
            }
        }
    }

    private static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).getAsDouble();
        }
        return out;
    }
}
