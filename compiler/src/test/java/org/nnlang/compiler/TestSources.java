package org.nnlang.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;

/** Compiles {@code .nn} text held in a test, failing with the diagnostics printed if it does not compile. */
public final class TestSources {
    /**
     * A small CNN that uses a kernel of every kind the planner and the CPU backend treat specially: dropout (a mask
     * read in backward), batchnorm (saved statistics, running state), a grouped depthwise convolution, concat,
     * pooling and gradient clipping.
     */
    public static final String MIXED_CNN = """
            model Mixed {
                input x: [1, 28, 28]
                a = conv2d(8, kernel = 3, padding = 1, bias = false) -> batchnorm -> relu -> max_pool2d(2)
                b = x -> conv2d(8, kernel = 3, stride = 2, padding = 1) -> gelu
                (a, b) -> concat(axis = 0)
                depthwise_conv2d(kernel = 3, padding = 1) -> sigmoid -> avg_pool2d(2)
                global_avg_pool -> dropout(0.3)
                linear(10)
            }
            train Mixed {
                data = fashion_mnist
                loss = cross_entropy
                optimizer = sgd(lr = 0.01, momentum = 0.9)
                clip_grad_norm = 1.0
                batch = 16
            }
            """;

    private TestSources() {
    }

    public static Compilation compileClean(String text) {
        Compilation compilation = Compiler.compile(SourceFile.of("test.nn", text));
        String printed = compilation.diagnostics().all().stream().map(DiagnosticPrinter::format)
                .collect(Collectors.joining());
        assertThat(compilation.hasErrors()).as("diagnostics:\n%s", printed).isFalse();
        return compilation;
    }
}
