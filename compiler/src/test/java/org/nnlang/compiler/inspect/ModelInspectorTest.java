package org.nnlang.compiler.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;

/**
 * Summaries add up to the analytic figures of the example networks: PyTorch's parameter counts (the same figures as
 * {@code ParameterCountsTest}) and the multiply-accumulates of the formulas; the training graph's phases; JSON
 * fields; DOT that parses.
 */
class ModelInspectorTest {
    private static final Path EXAMPLES = Path.of("../examples");

    private static Compilation compile(String file) throws IOException {
        Compilation compilation = Compiler.compile(EXAMPLES.resolve(file));
        assertThat(compilation.hasErrors()).as("%s", compilation.diagnostics().all()).isFalse();
        return compilation;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "seed-mlp.nn,        SeedMlp,      101770,  101632",
        "cnn.nn,             PlainCnn,     23946,   1919872",
        "separable-cnn.nn,   SeparableCnn, 3946,    356576",
        "fashion-cnn.nn,     FashionCnn,   421738,  4241152",
        "mobilenet.nn,       MobileNet,    36874,   3290944",
        "resnet.nn,          ResNet,       30690,   3217856",
    })
    void totalsAreTheAnalyticCounts(String file, String model, long torchParameters, long macs) throws IOException {
        Compilation compilation = compile(file);
        GraphSummary inference = ModelInspector.summarize(compilation, model, ModelInspector.INFERENCE, null);
        assertThat(inference.params()).isEqualTo(torchParameters);
        assertThat(inference.rowParams()).as("every parameter counted once, at a row").isEqualTo(torchParameters);
        assertThat(inference.macs()).isEqualTo(macs);
        assertThat(inference.phases()).containsExactly(Phase.FORWARD);

        GraphSummary training = ModelInspector.summarize(compilation, model, ModelInspector.TRAINING, 16);
        assertThat(training.params()).isEqualTo(torchParameters);
        assertThat(training.rowParams()).isEqualTo(torchParameters);
        Map<Phase, Long> byPhase = training.macsByPhase();
        assertThat(byPhase.get(Phase.FORWARD)).as("the training forward pass costs what inference does")
                .isEqualTo(macs);
        assertThat(byPhase.get(Phase.BACKWARD)).isGreaterThan(macs); // input and weight gradients: about 2×
        assertThat(training.rows().stream().filter(r -> r.phase() == Phase.OPTIMIZER).count())
                .as("one update per parameter tensor")
                .isEqualTo(compilation.trainings().get(model).stages().training().parameters().size());
        assertThat(training.batch()).isEqualTo(16);
        long planBytes = compilation.trainings().get(model).job().plan().buffers().stream()
                .mapToLong(b -> (long) b.capacity(16) * Float.BYTES).sum();
        assertThat(training.memory().totalBytes()).isEqualTo(planBytes);
        assertThat(training.memory().bytesByRole().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(planBytes);
    }

    @Test
    void seedMlpRowsAndBackwardMacs() throws IOException {
        GraphSummary s = ModelInspector.summarize(compile("seed-mlp.nn"), "SeedMlp", ModelInspector.TRAINING, 32);
        NodeRow linear1 = s.row("linear1");
        assertThat(linear1.op()).isEqualTo("linear");
        assertThat(linear1.inputShape()).isEqualTo("[N, 784]");
        assertThat(linear1.outputShape()).isEqualTo("[N, 128]");
        assertThat(linear1.params()).isEqualTo(784 * 128 + 128);
        assertThat(linear1.macs()).isEqualTo(784 * 128);
        assertThat(linear1.activationBytes(32)).isEqualTo(32L * 128 * 4);
        assertThat(s.row("flatten1").activationBytes(32)).as("a view").isZero();
        // dW1 = dyᵀx: 784·128; dx2 = dy·W2: 10·128; dW2: 10·128 (per sample)
        assertThat(s.macsByPhase().get(Phase.BACKWARD)).isEqualTo(784 * 128 + 2 * 10 * 128);
        assertThat(s.row("grad(linear1.weight)").phase()).isEqualTo(Phase.BACKWARD);
        assertThat(s.row("loss").phase()).isEqualTo(Phase.LOSS);
        assertThat(s.row("update(linear1.weight)").phase()).isEqualTo(Phase.OPTIMIZER);
        assertThat(s.row("update(linear1.weight)").group()).isEmpty();
        String table = SummaryTable.print(s);
        assertThat(table).contains("linear1 (linear)", "100,480", "98.73%", "Total params: 101,770",
                "backward 102,912", "Peak training memory at batch 32");
    }

    /** The summary shows what buffer reuse saves: cnn.nn's activations and gradients at its batch of 32. */
    @Test
    void memoryWithAndWithoutReuse() throws IOException {
        GraphSummary s = ModelInspector.summarize(compile("cnn.nn"), "PlainCnn", ModelInspector.TRAINING, null);
        GraphSummary.Memory memory = s.memory();
        assertThat(memory.totalBytes()).isEqualTo(11_743_304L);
        assertThat(memory.allocatedBytes()).isEqualTo(6_507_336L);
        assertThat(memory.totalBytes() - memory.allocatedBytes())
                .as("everything reuse saves is activations and gradients")
                .isEqualTo(memory.transientBytes() - memory.transientAllocatedBytes());
        assertThat(memory.slots()).isLessThan(memory.buffers());
        assertThat(SummaryTable.print(s)).contains("Peak training memory at batch 32: 6.21 MiB",
                "11.2 MiB without reuse", "activations+gradients: 10.7 MiB → 5.74 MiB with reuse");
    }

    @Test
    void blockCallsArePathsAndGroups() throws IOException {
        GraphSummary s = ModelInspector.summarize(compile("cnn.nn"), "PlainCnn", ModelInspector.TRAINING, null);
        assertThat(s.row("plain1.conv2d1").path()).containsExactly("plain1", "conv2d1");
        assertThat(s.row("plain1.conv2d1").group()).containsExactly("plain1");
        assertThat(s.row("grad(plain1.conv2d1.weight)").group()).containsExactly("plain1");
        assertThat(s.row("update(plain2.conv2d1.bias)").group()).containsExactly("plain2");
        assertThat(SummaryTable.print(s)).contains("plain1 (block)", "  plain1.conv2d1 (conv2d)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheSchemaFields() throws IOException {
        Compilation compilation = compile("seed-mlp.nn");
        Map<String, Object> document = SummaryJson.document(List.of(
                ModelInspector.summarize(compilation, "SeedMlp", ModelInspector.TRAINING, null)));
        Map<String, Object> model = ((List<Map<String, Object>>) document.get("models")).get(0);
        assertThat(model).containsKeys("model", "graph", "batch", "params", "macs", "macsByPhase", "memory", "nodes");
        assertThat(model.get("params")).isEqualTo(101770L);
        assertThat((Map<String, Object>) model.get("macsByPhase")).containsKeys("forward", "loss", "backward",
                "optimizer");
        assertThat((Map<String, Object>) model.get("memory")).containsKeys("totalBytes", "byRole", "buffers");
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) model.get("nodes");
        assertThat(nodes).allSatisfy(n -> assertThat(n).containsKeys("name", "path", "op", "shape", "params", "macs",
                "phase", "activationBytes", "trainable", "origin"));
        assertThat(nodes.get(1)).containsEntry("name", "linear1").containsEntry("shape", "[N, 128]")
                .containsEntry("params", 100480L);
    }

    @Test
    void dotParses() throws IOException {
        Compilation compilation = compile("resnet.nn");
        for (String graph : List.of(ModelInspector.INFERENCE, ModelInspector.TRAINING)) {
            GraphSummary s = ModelInspector.summarize(compilation, "ResNet", graph, null);
            String dot = SummaryDot.print(s);
            assertThat(dot).startsWith("digraph ").endsWith("}\n");
            int depth = 0;
            boolean inString = false;
            for (int i = 0; i < dot.length(); i++) {
                char c = dot.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = !inString;
                } else if (!inString && c == '{') {
                    depth++;
                } else if (!inString && c == '}') {
                    depth--;
                    assertThat(depth).isNotNegative();
                }
            }
            assertThat(depth).as("balanced braces").isZero();
            assertThat(inString).as("closed strings").isFalse();
            for (NodeRow row : s.rows()) {
                assertThat(dot).as("node statement").contains(" " + SummaryDot.id(row.name()) + " [fillcolor=");
                for (Operand input : row.dataInputs()) {
                    String from = input.producer() != null ? input.producer() : input.name();
                    assertThat(dot).contains(SummaryDot.id(from) + " -> " + SummaryDot.id(row.name()));
                }
            }
            assertThat(dot).contains("subgraph \"cluster_residual1\"");
        }
    }
}
