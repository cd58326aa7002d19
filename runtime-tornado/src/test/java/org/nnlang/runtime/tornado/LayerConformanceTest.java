package org.nnlang.runtime.tornado;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batch normalisation, dropout, softmax, residual sums, concat, the MSE loss and gradient clipping on TornadoVM
 * against the CPU backend ({@link BackendComparison}): parameters after every step show the backward kernels,
 * the running statistics (model state) the batchnorm forward, the loss the loss kernels and the inference output
 * the evaluation-mode kernels. Every model ends with a partial batch.
 */
@Tag("tornado")
class LayerConformanceTest {
    private static String model(String input, String layers, String loss, String extra) {
        return """
                model M {
                    input x: %s
                    %s
                }
                train M {
                    data = fashion_mnist
                    loss = %s
                    optimizer = sgd(lr = 0.5)
                    batch = 8
                    %s
                }
                """.formatted(input, layers, loss, extra);
    }

    @Test
    void batchnormAfterLinearAndDropout() {
        // batchnorm over [C] (train, grad, eval); two dropouts, so the host must draw each mask from the stream
        // the CPU gives that step, in the CPU's order.
        BackendComparison.compare(model("[20]", """
                linear(24) -> batchnorm -> relu -> dropout(p = 0.3)
                    linear(13) -> batchnorm(momentum = 0.2) -> tanh -> dropout(p = 0.6)
                    linear(5)""", "cross_entropy", ""), 8, 8, 8, 5);
    }

    @Test
    void batchnormOverChannelsConcatAndSoftmaxOfImages() {
        // [C, H, W] without convolutions: batchnorm straight on the input, then on its output (whose dx reaches the
        // first one's γ and β); a three-way concat along H (axis 1), so slice cuts rows out of the middle of each
        // channel; softmax over W with 3·12 rows per sample; the fan-out of a adds up three gradients.
        BackendComparison.compare(model("[3, 4, 5]", """
                a = batchnorm
                    b = a -> batchnorm -> tanh
                    c = a -> sigmoid
                    (b, c, a) -> concat(axis = 1)
                    softmax
                    flatten
                    linear(4)""", "cross_entropy", ""), 8, 8, 3);
    }

    @Test
    void residualSumSoftmaxAndFeatureConcat() {
        BackendComparison.compare(model("[12]", """
                h = linear(16) -> relu
                    r = h -> linear(16) -> tanh
                    s = (h + r) -> linear(8) -> softmax
                    t = h -> linear(6)
                    (s, t) -> concat(axis = 0)
                    linear(5)""", "cross_entropy", ""), 8, 8, 8, 6);
    }

    @Test
    void mseOnOneHotLabelsWithClippedGradients() {
        // 10 → 120 makes a 1200-float weight gradient: more than one chunk of LayerKernels.sumOfSquares. A small
        // max_norm makes the clip bite on every step, so a wrong coefficient shows in every parameter.
        BackendComparison.compare(model("[10]", "linear(120) -> relu -> linear(6)", "mse", "clip_grad_norm = 0.05"),
                8, 8, 8, 7);
    }

    @Test
    void clipGradNormThatDoesNotBite() {
        BackendComparison.compare(model("[10]", "linear(9) -> sigmoid -> linear(3)", "mse", "clip_grad_norm = 100"),
                8, 8, 2);
    }
}
