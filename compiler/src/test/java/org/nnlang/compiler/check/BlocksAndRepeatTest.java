package org.nnlang.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.TestSources;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.source.Diagnostic;
import org.nnlang.compiler.source.SourceFile;

/** Blocks are inlined at every call, {@code repeat} unrolls, imports bring in declarations. */
class BlocksAndRepeatTest {
    @Test
    void blocksTakeDefaultsAndNamedArgumentsAndCallOtherBlocks() {
        Compilation compilation = TestSources.compileClean("""
                block dense(out, activate = true) {
                    linear(out)
                    relu
                }
                block tower(width) {
                    dense(width)
                    dense(out = width / 2)
                }
                model M {
                    input x: [1, 4, 4]
                    flatten
                    tower(32)
                    linear(10)
                }
                """);
        Graph graph = compilation.forwardGraphs().get("M");
        assertThat(graph.output().type().toString()).isEqualTo("[N, 10]");
        assertThat(graph.parameters()).extracting(Value::name).containsExactly(
                "tower1.dense1.linear1.weight", "tower1.dense1.linear1.bias",
                "tower1.dense2.linear1.weight", "tower1.dense2.linear1.bias",
                "linear1.weight", "linear1.bias");
        assertThat(graph.parameterCount()).isEqualTo(16 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10);
    }

    @Test
    void repeatUnrollsAndEachRoundHasItsOwnNames() {
        Graph graph = TestSources.compileClean("""
                model M(layers = 3) {
                    input x: [8]
                    repeat layers {
                        h = linear(8)
                        (h + x) -> relu
                    }
                }
                """).forwardGraphs().get("M");
        assertThat(graph.nodes()).extracting(Node::kind)
                .containsExactly("linear", "add", "relu", "linear", "add", "relu", "linear", "add", "relu");
        assertThat(graph.parameters()).hasSize(6);
    }

    @Test
    void symbolicInputDimensionsAreBoundAtEachCallAndUsableInAttributes() {
        Graph graph = TestSources.compileClean("""
                block halve {
                    input x: [features]
                    linear(features / 2)
                }
                model M {
                    input x: [64]
                    halve
                    halve
                }
                """).forwardGraphs().get("M");
        assertThat(graph.output().type().toString()).isEqualTo("[N, 16]");
    }

    @Test
    void errorsInsideABlockNameTheChainOfCalls() {
        Compilation compilation = Compiler.compile(SourceFile.of("chain.nn", """
                block inner {
                    lnear(3)
                }
                block outer {
                    inner
                }
                model M {
                    input x: [4]
                    outer
                }
                """));
        Diagnostic error = compilation.diagnostics().all().get(0);
        assertThat(error.message()).isEqualTo("unknown op 'lnear'");
        assertThat(error.notes()).containsExactly("did you mean 'linear'?",
                "in block inner called at chain.nn:5:5", "in block outer called at chain.nn:9:5");
    }

    @Test
    void importsAreRelativeToTheImportingFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/blocks.nn"), """
                block dense(out) {
                    linear(out) -> relu
                }
                """);
        Files.writeString(dir.resolve("model.nn"), """
                import "lib/blocks.nn"
                model M {
                    input x: [4]
                    dense(6)
                }
                """);
        Compilation compilation = Compiler.compile(dir.resolve("model.nn"));
        assertThat(compilation.diagnostics().all()).isEmpty();
        assertThat(compilation.models()).extracting(m -> m.outputShape()).containsExactly("[N, 6]");
    }
}
