package org.nnlang.export.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.export.onnx.proto.Onnx;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.data.DataSource;
import org.nnlang.runtime.data.Dataset;
import org.nnlang.runtime.data.Datasets;
import org.nnlang.runtime.data.TrainTestSplit;
import org.nnlang.runtime.io.Safetensors;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * Exports models with seeded weights (random, then a few training steps), runs the ONNX file in ONNX Runtime and the
 * same weights in nnlang's own inference on the same Fashion-MNIST test images, and checks that the outputs agree.
 */
class OnnxRuntimeAgreementTest {
    /** The whole test split of the bundled Fashion-MNIST sample. */
    private static final int SAMPLES = 2_000;
    private static final double TOLERANCE = 1e-4;
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Path EVERY_OP = Path.of("src", "test", "resources", "every-op.nn");

    private static OrtEnvironment environment;
    private static final int BATCH = 32;
    private static final int TRAINING_STEPS = 20;
    private static Dataset images;
    private static Dataset train;

    @BeforeAll
    static void load() {
        environment = OrtEnvironment.getEnvironment();
        TrainTestSplit split = Datasets.load(new DataSource.BundledFashionMnist());
        images = split.test();
        train = split.train();
    }

    @Test
    void seedMlpAgreesWithOnnxRuntime() throws Exception {
        Agreement agreement = agree(EXAMPLES.resolve("seed-mlp.nn"), "SeedMlp");
        assertThat(agreement.model().getGraph().getNodeList()).extracting(Onnx.NodeProto::getOpType)
                .containsExactly("Flatten", "Gemm", "Relu", "Gemm");
        assertThat(agreement.model().getGraph().getNode(1).getDocString())
                .isEqualTo("linear(128) at " + EXAMPLES.resolve("seed-mlp.nn") + ":10:5");
    }

    @Test
    void separableCnnAgreesWithOnnxRuntime() throws Exception {
        Agreement agreement = agree(EXAMPLES.resolve("separable-cnn.nn"), "SeparableCnn");
        assertThat(agreement.model().getGraph().getNodeList()).extracting(Onnx.NodeProto::getOpType)
                .contains("Conv", "GlobalAveragePool", "Flatten", "Gemm");
    }

    @Test
    void everyMappedOpAgreesWithOnnxRuntime() throws Exception {
        Agreement agreement = agree(EVERY_OP, "EveryOp");
        assertThat(agreement.model().getGraph().getNodeList()).extracting(Onnx.NodeProto::getOpType)
                .contains("Conv", "BatchNormalization", "Erf", "Tanh", "Concat", "Sigmoid", "Relu", "MaxPool",
                        "AveragePool", "GlobalAveragePool", "Gemm", "Softmax", "Add")
                .doesNotContain("Dropout");
    }

    @Test
    void aModelWithoutTrainBlockIsExportedFromItsDerivedInferenceGraph() throws Exception {
        Compilation compilation = Compiler.compile(EVERY_OP);
        ExportableModel model = ExportableModel.of(compilation, "Untrained");
        Onnx.ModelProto onnx = OnnxExporter.export(model.inference(), model.initialWeights());
        assertThat(onnx.getGraph().getOutput(0).getName()).isEqualTo("probabilities");
        try (OrtSession session = environment.createSession(onnx.toByteArray(), new OrtSession.SessionOptions())) {
            float[][] p = runOnnx(session, "image", 5);
            for (float[] row : p) {
                double sum = 0;
                for (float v : row) {
                    sum += v;
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void freshWeightsAreTheOnesTrainingStartsFrom() throws IOException {
        Compilation compilation = Compiler.compile(EXAMPLES.resolve("separable-cnn.nn"));
        ExportableModel model = ExportableModel.of(compilation, null);
        ExecutionPlan plan = compilation.trainings().get("SeparableCnn").job().plan();
        try (Executable executable = new CpuBackend(1).load(plan, 1, new Rng(model.seed()).split())) {
            Map<String, float[]> loaded = ExportableModel.weightsOf(executable);
            Map<String, float[]> fresh = model.initialWeights();
            assertThat(fresh.keySet()).containsExactlyElementsOf(loaded.keySet());
            fresh.forEach((name, values) -> assertThat(values).as(name).containsExactly(loaded.get(name)));
        }
    }

    @Test
    void aPrimitiveWithoutMappingIsAnErrorNamingItsLine() throws IOException {
        Compilation compilation = Compiler.compile(EVERY_OP);
        Graph forward = compilation.forwardGraphs().get("EveryOp"); // training mode: batchnorm_train, dropout
        assertThatThrownBy(() -> OnnxExporter.export(forward, randomWeights(forward, 1)))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("'batchnorm_train'")
                .hasMessageContaining("every-op.nn:4:");
    }

    @Test
    void missingOrMisshapenWeightsAreErrors() throws IOException {
        ExportableModel model = ExportableModel.of(Compiler.compile(EXAMPLES.resolve("seed-mlp.nn")), null);
        Map<String, float[]> weights = new LinkedHashMap<>(model.initialWeights());
        weights.remove("linear2.bias");
        assertThatThrownBy(() -> OnnxExporter.export(model.inference(), weights))
                .isInstanceOf(OnnxExportException.class).hasMessageContaining("no weights for 'linear2.bias' [10]");
        weights.put("linear2.bias", new float[3]);
        assertThatThrownBy(() -> OnnxExporter.export(model.inference(), weights))
                .isInstanceOf(OnnxExportException.class).hasMessageContaining("'linear2.bias' have 3 values");
    }

    @Test
    void chooseAModelWhenTheFileHasSeveral() throws IOException {
        Compilation compilation = Compiler.compile(EVERY_OP);
        assertThatThrownBy(() -> ExportableModel.of(compilation, null))
                .hasMessageContaining("several models").hasMessageContaining("EveryOp, Untrained");
        assertThatThrownBy(() -> ExportableModel.of(compilation, "EveryOps"))
                .hasMessageContaining("did you mean 'EveryOp'?");
    }

    @Test
    void writesAFile(@TempDir Path dir) throws IOException {
        ExportableModel model = ExportableModel.of(Compiler.compile(EXAMPLES.resolve("seed-mlp.nn")), null);
        Path file = dir.resolve("sub/seed.onnx");
        OnnxExporter.write(model.inference(), model.initialWeights(), file);
        Onnx.ModelProto read = Onnx.ModelProto.parseFrom(Files.readAllBytes(file));
        assertThat(read.getOpsetImport(0).getVersion()).isEqualTo(OnnxExporter.OPSET);
        assertThat(read.getGraph().getInput(0).getName()).isEqualTo("image");
        assertThat(read.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
                .isEqualTo("N");
        assertThat(read.getGraph().getOutput(0).getName()).isEqualTo("logits");
        assertThat(read.getGraph().getInitializerList()).extracting(Onnx.TensorProto::getName)
                .containsExactly("linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias");
    }

    @Test
    void readsWeightsFromASafetensorsCheckpoint(@TempDir Path dir) throws IOException {
        ExportableModel model = ExportableModel.of(Compiler.compile(EXAMPLES.resolve("seed-mlp.nn")), null);
        Map<String, float[]> weights = randomWeights(model.inference(), 3);
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (Value v : OnnxExporter.weightValues(model.inference())) {
            tensors.add(new Safetensors.Tensor(v.name(), v.type().dims(), weights.get(v.name())));
        }
        tensors.add(new Safetensors.Tensor("optimizer/linear1.bias.adam_m", new int[] {128}, new float[128]));
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, tensors, Map.of());
        Map<String, float[]> read = model.weightsFrom(file);
        assertThat(read.keySet()).containsExactlyElementsOf(weights.keySet());
        read.forEach((name, values) -> assertThat(values).as(name).containsExactly(weights.get(name)));

        tensors.set(0, new Safetensors.Tensor("linear1.weight", new int[] {784, 128}, weights.get("linear1.weight")));
        tensors.add(new Safetensors.Tensor("conv1.weight", new int[] {1}, new float[1]));
        Safetensors.write(file, tensors, Map.of());
        assertThatThrownBy(() -> model.weightsFrom(file))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("'linear1.weight' is [784, 128] but model SeedMlp has [128, 784]")
                .hasMessageContaining("'conv1.weight' is not a weight of model SeedMlp");
    }

    record Agreement(Onnx.ModelProto model, double maxDifference) {
    }

    /**
     * Exports {@code modelName} with seeded, briefly trained weights and compares ONNX Runtime with nnlang on
     * {@link #SAMPLES} test images.
     */
    private static Agreement agree(Path file, String modelName) throws IOException, OrtException {
        Compilation compilation = Compiler.compile(file);
        assertThat(compilation.hasErrors()).as(compilation.diagnostics().all().toString()).isFalse();
        ExportableModel model = ExportableModel.of(compilation, modelName);
        ExecutionPlan plan = compilation.trainings().get(modelName).job().plan();
        Map<String, float[]> weights;
        float[] expected;
        int classes;
        try (Executable executable = new CpuBackend(2).load(plan, SAMPLES, new Rng(0))) {
            // Random weights (running statistics included), then a few training steps, so the predictions depend
            // on the image rather than on the biases alone.
            Map<String, float[]> random = randomWeights(model.inference(), 42);
            for (BufferSpec spec : plan.buffers()) {
                if (spec.role() == BufferRole.PARAMETER || spec.role() == BufferRole.MODEL_STATE) {
                    float[] values = random.get(spec.name());
                    System.arraycopy(values, 0, executable.buffer(spec.id()), 0, values.length);
                }
            }
            int size = train.sampleSize();
            for (int step = 0; step < TRAINING_STEPS; step++) {
                System.arraycopy(train.images(), step * BATCH * size, executable.buffer(plan.input()), 0,
                        BATCH * size);
                float[] target = executable.buffer(plan.target());
                for (int i = 0; i < BATCH; i++) {
                    target[i] = train.labels()[step * BATCH + i];
                }
                executable.trainStep(BATCH);
            }
            weights = ExportableModel.weightsOf(executable);
            System.arraycopy(images.images(), 0, executable.buffer(plan.input()), 0,
                    SAMPLES * images.sampleSize());
            executable.infer(SAMPLES);
            classes = plan.buffer(plan.output()).sampleSize();
            expected = Arrays.copyOf(executable.buffer(plan.output()), SAMPLES * classes);
        }
        Onnx.ModelProto onnx = model.export(weights);

        float[][] actual;
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        try (OrtSession session = environment.createSession(onnx.toByteArray(), options)) {
            actual = runOnnx(session, model.inference().input().name(), SAMPLES);
        }

        double max = 0;
        double largest = 0;
        int disagreements = 0;
        java.util.Set<Integer> predicted = new java.util.HashSet<>();
        for (int n = 0; n < SAMPLES; n++) {
            assertThat(actual[n]).hasSize(classes);
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, Math.abs(actual[n][c] - expected[n * classes + c]));
                largest = Math.max(largest, Math.abs(expected[n * classes + c]));
            }
            predicted.add(argmax(expected, n * classes, classes));
            if (argmax(actual[n], 0, classes) != argmax(expected, n * classes, classes)) {
                disagreements++;
            }
        }
        String measured = String.format(Locale.ROOT, "%s: max |ONNX Runtime − nnlang| = %.3g over %d samples × %d "
                + "outputs (largest |output| %.3g, %d distinct predicted classes)", modelName, max, SAMPLES, classes,
                largest, predicted.size());
        System.out.println(measured);
        assertThat(max).as(measured).isLessThanOrEqualTo(TOLERANCE);
        assertThat(predicted.size()).as(measured + "; the predictions must depend on the image").isGreaterThan(2);
        assertThat(disagreements).as(measured + "; samples whose argmax differs").isZero();
        return new Agreement(onnx, max);
    }

    private static float[][] runOnnx(OrtSession session, String inputName, int samples) throws OrtException {
        long[] shape = new long[images.sampleShape().length + 1];
        shape[0] = samples;
        for (int i = 0; i < images.sampleShape().length; i++) {
            shape[i + 1] = images.sampleShape()[i];
        }
        FloatBuffer data = FloatBuffer.wrap(images.images(), 0, samples * images.sampleSize());
        try (OnnxTensor input = OnnxTensor.createTensor(environment, data, shape);
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /**
     * Seeded random weights for every parameter and running statistic, scaled like He's initialisation, a little wider,
     * so the outputs are large enough for different samples to get different predictions; running variances
     * positive, so batch normalisation is exercised for real.
     */
    static Map<String, float[]> randomWeights(Graph graph, long seed) {
        Rng rng = new Rng(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Value value : OnnxExporter.weightValues(graph)) {
            float[] values = new float[value.type().size()];
            String name = value.name();
            int[] dims = value.type().dims();
            int fanIn = dims.length > 1 ? value.type().size() / dims[0] : 1;
            for (int i = 0; i < values.length; i++) {
                if (value.kind() == ValueKind.MODEL_STATE && name.endsWith("running_var")) {
                    values[i] = rng.uniform(0.5f, 2f);
                } else if (value.kind() == ValueKind.MODEL_STATE) {
                    values[i] = rng.uniform(-0.5f, 0.5f);
                } else if (dims.length == 1) {
                    values[i] = rng.uniform(-0.5f, 0.5f) + (name.contains("batchnorm") && name.endsWith("weight")
                            ? 1f : 0f);
                } else {
                    float bound = (float) (3 / Math.sqrt(fanIn)); // He's uniform bound √6/√fan_in, a little wider
                    values[i] = rng.uniform(-bound, bound);
                }
            }
            weights.put(name, values);
        }
        return weights;
    }

    private static int argmax(float[] values, int from, int count) {
        int best = 0;
        for (int i = 1; i < count; i++) {
            if (values[from + i] > values[from + best]) {
                best = i;
            }
        }
        return best;
    }
}
