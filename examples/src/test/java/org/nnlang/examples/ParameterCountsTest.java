package org.nnlang.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.ModelSummary;

/**
 * The example networks have exactly the parameters of their PyTorch twins (counted with
 * {@code sum(p.numel() for p in model.parameters())} on PyTorch 1.13, twins written layer for layer), and the
 * multiply-accumulates the formulas give (per sample, forward: Σ H_out·W_out·C_out·C_in/groups·k² for convolutions,
 * in·out for linear layers).
 */
class ParameterCountsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,             model,        PyTorch's parameter count, forward MACs per sample
        "seed-mlp.nn,        SeedMlp,      101770,  101632",   // 784·128 + 128·10
        "cnn.nn,             PlainCnn,     23946,   1919872",  // 28²·16·9 + 14²·32·16·9 + 7²·64·32·9 + 64·10
        "separable-cnn.nn,   SeparableCnn, 3946,    356576",   // 28²·16·9 + 14²·16·9 + 14²·32·16 + 7²·32·9 + 7²·64·32 + 640
        "fashion-cnn.nn,     FashionCnn,   421738,  4241152",  // 28²·32·9 + 14²·64·32·9 + 3136·128 + 1280
        "mobilenet.nn,       MobileNet,    36874,   3290944",
        "resnet.nn,          ResNet,       30690,   3217856",
    })
    void matchesPyTorch(String file, String model, long torchParameters, long macs) throws IOException {
        Compilation compilation = Compiler.compile(Path.of(file));
        ModelSummary summary = compilation.models().stream().filter(m -> m.name().equals(model)).findFirst()
                .orElseThrow(() -> new AssertionError(compilation.diagnostics().all()));
        assertThat(summary.parameters()).isEqualTo(torchParameters);
        assertThat(summary.macs()).isEqualTo(macs);
    }
}
