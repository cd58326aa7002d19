package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nn check} and {@code nn train} end to end, through the real compiler and trainer. */
class CheckAndTrainTest {
    private static final String SEED_MLP = String.join("\n",
            "model SeedMlp {",
            "    input x: [1, 28, 28]",
            "    flatten",
            "    linear(128)",
            "    relu",
            "    linear(10)",
            "}",
            "",
            "train SeedMlp {",
            "    data      = fashion_mnist",
            "    loss      = cross_entropy",
            "    optimizer = adam(lr = 0.001)",
            "    batch     = 32",
            "    shuffle   = true",
            "    epochs    = 10",
            "    seed      = 42",
            "    device    = cpu",
            "}",
            "");

    @TempDir
    Path dir;

    private Path seedMlp() throws Exception {
        return Files.writeString(dir.resolve("seed-mlp.nn"), SEED_MLP);
    }

    @Test
    void checkSummarisesEachModel() throws Exception {
        NnRun run = NnRun.of("check", seedMlp().toString());
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("SeedMlp: 101,770 parameters");
    }

    @Test
    void checkPrintsEveryErrorAndExits2() throws Exception {
        Path file = Files.writeString(dir.resolve("typo.nn"), SEED_MLP.replace("linear(128)", "lnear(128)"));
        NnRun run = NnRun.of("check", file.toString());
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":4:5: error:").contains("lnear").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void trainsOneEpochOnTheBundledSampleAndWritesTheReport() throws Exception {
        Path report = dir.resolve("run.json");
        NnRun run = NnRun.of("train", seedMlp().toString(), "--epochs", "1", "--report", report.toString());
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("SeedMlp, 101,770 parameters")
                .contains("bundled Fashion-MNIST sample: 10,000 training and 2,000 test samples")
                .containsPattern("epoch 1/1  train loss \\d\\.\\d{4}  test acc \\d+\\.\\d\\d%");
        JsonObject root = JsonParser.parseString(Files.readString(report)).getAsJsonObject();
        assertThat(root.get("model").getAsString()).isEqualTo("SeedMlp");
        JsonArray epochs = root.getAsJsonArray("epochs");
        assertThat(epochs).hasSize(1);
        assertThat(epochs.get(0).getAsJsonObject().get("test_accuracy").getAsDouble()).isGreaterThan(0.6);
    }

    @Test
    void damagedDataFolderNamesTheFile() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        writeIdx(data.resolve("train-images-idx3-ubyte.gz"), new int[] {100, 28, 28}, 500);
        writeIdx(data.resolve("train-labels-idx1-ubyte.gz"), new int[] {100}, 100);
        writeIdx(data.resolve("t10k-images-idx3-ubyte.gz"), new int[] {10, 28, 28}, 10 * 784);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {10}, 10);

        NnRun run = NnRun.of("train", seedMlp().toString(), "--data", data.toString());
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("error: " + data.resolve("train-images-idx3-ubyte.gz") + ": truncated")
                .contains("100 images of 28x28")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Test
    void unknownModelIsAUserError() throws Exception {
        NnRun run = NnRun.of("train", seedMlp().toString(), "--model", "NoSuchModel");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("NoSuchModel").doesNotContain("\tat ");
    }

    /** A gzipped IDX file whose header promises {@code dims} but which holds only {@code bytes} bytes of data. */
    private static void writeIdx(Path path, int[] dims, int bytes) throws Exception {
        try (var out = new java.io.DataOutputStream(new GZIPOutputStream(Files.newOutputStream(path)))) {
            out.write(new byte[] {0, 0, 8, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            byte[] data = new byte[bytes];
            Arrays.fill(data, (byte) 1);
            out.write(data);
        }
    }
}
