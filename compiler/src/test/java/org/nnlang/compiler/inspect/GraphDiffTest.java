package org.nnlang.compiler.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.passes.TrainingPipeline;

class GraphDiffTest {
    private static Compilation compile(String file) throws IOException {
        Compilation compilation = Compiler.compile(Path.of("../examples").resolve(file));
        assertThat(compilation.hasErrors()).isFalse();
        return compilation;
    }

    @Test
    void plainAgainstSeparableConvolutions() throws IOException {
        GraphSummary plain = ModelInspector.summarize(compile("cnn.nn"), "PlainCnn", ModelInspector.INFERENCE, null);
        GraphSummary separable = ModelInspector.summarize(compile("separable-cnn.nn"), "SeparableCnn",
                ModelInspector.INFERENCE, null);
        GraphDiff diff = GraphDiff.compare(plain, separable);
        assertThat(diff.entries(GraphDiff.Change.REMOVED)).extracting(GraphDiff.Entry::name)
                .containsExactly("plain1.conv2d1", "plain1.relu1", "plain2.conv2d1", "plain2.relu1");
        assertThat(diff.entries(GraphDiff.Change.ADDED)).extracting(GraphDiff.Entry::name)
                .containsExactly("separable1.depthwise_conv2d1", "separable1.conv2d1", "separable1.relu1",
                        "separable2.depthwise_conv2d1", "separable2.conv2d1", "separable2.relu1");
        assertThat(diff.entries(GraphDiff.Change.RESHAPED)).isEmpty();
        assertThat(diff.same()).isEqualTo(4); // conv2d1, relu1, global_avg_pool1, linear1
        assertThat(diff.paramsDelta()).isEqualTo(3946 - 23946);
        assertThat(diff.macsDelta()).isEqualTo(356576 - 1919872);
        assertThat(diff.entries().stream().mapToLong(GraphDiff.Entry::paramsDelta).sum()).isEqualTo(-20000);
        String table = diff.table("cnn.nn", "separable-cnn.nn");
        assertThat(table).contains("-  plain1.conv2d1", "+  separable1.depthwise_conv2d1",
                "Params: 23,946 → 3,946 (-20,000)", "6 added, 4 removed, 0 reshaped");
    }

    @Test
    void theAutodiffPassAddsTheBackwardNodes() throws IOException {
        Compilation compilation = compile("cnn.nn");
        GraphSummary before = ModelInspector.summarize(compilation, "PlainCnn", TrainingPipeline.ATTACH_LOSS, null);
        GraphSummary after = ModelInspector.summarize(compilation, "PlainCnn", TrainingPipeline.AUTODIFF, null);
        GraphDiff diff = GraphDiff.compare(before, after);
        assertThat(diff.entries()).allSatisfy(e -> {
            assertThat(e.change()).isEqualTo(GraphDiff.Change.ADDED);
            assertThat(e.name()).startsWith("grad(");
            assertThat(e.after().phase()).isEqualTo(Phase.BACKWARD);
        });
        assertThat(diff.entries()).hasSize((int) after.rows().stream().filter(r -> r.phase() == Phase.BACKWARD)
                .count());
        assertThat(diff.same()).isEqualTo(before.rows().size());
        assertThat(diff.paramsDelta()).isZero();
        assertThat(diff.macsDelta()).isEqualTo(after.macsByPhase().get(Phase.BACKWARD)).isPositive();
    }

    @Test
    void aChangedWidthIsReshaped() {
        Compilation small = org.nnlang.compiler.TestSources.compileClean(
                "model M {\n input x: [4]\n linear(8)\n relu\n linear(2)\n}\n");
        Compilation wide = org.nnlang.compiler.TestSources.compileClean(
                "model M {\n input x: [4]\n linear(16)\n relu\n linear(2)\n}\n");
        GraphDiff diff = GraphDiff.compare(ModelInspector.summarize(small, "M", "inference", 1),
                ModelInspector.summarize(wide, "M", "inference", 1));
        assertThat(diff.entries()).extracting(GraphDiff.Entry::name).containsExactly("linear1", "relu1", "linear2");
        assertThat(diff.entries()).allSatisfy(e -> assertThat(e.change()).isEqualTo(GraphDiff.Change.RESHAPED));
        assertThat(diff.paramsDelta()).isEqualTo((4 * 16 + 16 + 16 * 2 + 2) - (4 * 8 + 8 + 8 * 2 + 2));
        assertThat(diff.entries().get(0).shape()).isEqualTo("[N, 8] → [N, 16]");
    }
}
