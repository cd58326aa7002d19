package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.export.onnx.proto.Onnx;
import org.nnlang.runtime.io.Safetensors;

class ExportCommandTest {
    private static final Path SEED_MLP = Path.of("..", "examples", "seed-mlp.nn");

    @TempDir
    Path dir;

    @Test
    void exportsTheFreshlyInitialisedModel() throws Exception {
        Path onnx = dir.resolve("seed.onnx");
        NnRun run = NnRun.of("export", SEED_MLP.toString(), "--onnx", onnx.toString());
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("exported SeedMlp (101,770 parameters, 4 ONNX nodes, opset 13) with freshly "
                + "initialised weights (seed 0");
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertThat(model.getGraph().getNodeList()).extracting(Onnx.NodeProto::getOpType)
                .containsExactly("Flatten", "Gemm", "Relu", "Gemm");
    }

    @Test
    void exportsTheWeightsOfACheckpoint() throws Exception {
        float[] bias = new float[10];
        bias[3] = 42;
        Path weights = dir.resolve("w.safetensors");
        Safetensors.write(weights, List.of(
                new Safetensors.Tensor("linear1.weight", new int[] {128, 784}, new float[128 * 784]),
                new Safetensors.Tensor("linear1.bias", new int[] {128}, new float[128]),
                new Safetensors.Tensor("linear2.weight", new int[] {10, 128}, new float[10 * 128]),
                new Safetensors.Tensor("linear2.bias", new int[] {10}, bias)), Map.of());
        Path onnx = dir.resolve("seed.onnx");
        NnRun run = NnRun.of("export", SEED_MLP.toString(), "--model", "SeedMlp", "--weights", weights.toString(),
                "--onnx", onnx.toString());
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("with weights from " + weights);
        Onnx.TensorProto written = Onnx.ModelProto.parseFrom(Files.readAllBytes(onnx)).getGraph()
                .getInitializerList().stream().filter(t -> t.getName().equals("linear2.bias")).findFirst()
                .orElseThrow();
        java.nio.FloatBuffer values = written.getRawData().asReadOnlyByteBuffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertThat(values.get(3)).isEqualTo(42f);
    }

    @Test
    void weightsOfAnotherModelAreAUserError() throws Exception {
        Path weights = dir.resolve("other.safetensors");
        Safetensors.write(weights, List.of(new Safetensors.Tensor("conv1.weight", new int[] {2}, new float[2])),
                Map.of());
        NnRun run = NnRun.of("export", SEED_MLP.toString(), "--weights", weights.toString(), "--onnx",
                dir.resolve("x.onnx").toString());
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("does not fit model SeedMlp").contains("'linear1.weight' [128, 784] is missing")
                .contains("'conv1.weight' is not a weight of model SeedMlp").doesNotContain("\tat ");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
    }

    @Test
    void theOnnxFileIsRequiredAndAnUnknownModelIsNamed() {
        NnRun missing = NnRun.of("export", SEED_MLP.toString());
        assertThat(missing.status()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err()).contains("--onnx");

        NnRun unknown = NnRun.of("export", SEED_MLP.toString(), "--model", "SeedMpl", "--onnx",
                dir.resolve("y.onnx").toString());
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("no model 'SeedMpl'").contains("did you mean 'SeedMlp'?");
    }
}
