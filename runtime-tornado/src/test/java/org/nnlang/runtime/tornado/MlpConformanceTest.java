package org.nnlang.runtime.tornado;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The layers, losses and optimizers of MLPs, on TornadoVM against the CPU backend ({@link BackendComparison}). */
@Tag("tornado")
class MlpConformanceTest {
    private static String mlp(String layers, String loss, String optimizer) {
        return """
                model M {
                    input x: [20]
                    %s
                }
                train M {
                    data = fashion_mnist
                    loss = %s
                    optimizer = %s
                    batch = 8
                }
                """.formatted(layers, loss, optimizer);
    }

    @Test
    void linearAndReluWithSgd() {
        // 20 → 37 → 5 crosses tile edges (16) in every dimension; the last batch (5 of 8) is partial.
        BackendComparison.compare(mlp("linear(37) -> relu -> linear(5)", "cross_entropy", "sgd(lr = 0.5)"), 8,
                8, 8, 5);
    }

    @Test
    void smoothActivations() {
        BackendComparison.compare(mlp("linear(19) -> sigmoid -> linear(18) -> tanh -> linear(17) -> gelu -> linear(4)",
                "cross_entropy", "sgd(lr = 0.5)"), 8, 8, 3);
    }

    @Test
    void linearWithoutBias() {
        BackendComparison.compare(mlp("linear(24, bias = false) -> relu -> linear(3)", "cross_entropy",
                "sgd(lr = 0.5)"), 8, 8, 8);
    }

    @Test
    void adamAndAdamW() {
        BackendComparison.compare(mlp("linear(33) -> relu -> linear(6)", "cross_entropy", "adam(lr = 0.01)"), 8,
                8, 8, 8, 4);
        BackendComparison.compare(mlp("linear(33) -> relu -> linear(6)", "cross_entropy",
                "adamw(lr = 0.01, weight_decay = 0.1)"), 8, 8, 8);
    }

    @Test
    void sgdWithMomentumNesterovAndWeightDecay() {
        BackendComparison.compare(mlp("linear(21) -> relu -> linear(6)", "cross_entropy",
                "sgd(lr = 0.1, momentum = 0.9, nesterov = true, weight_decay = 0.01)"), 8, 8, 8, 8);
    }
}
