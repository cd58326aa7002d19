package org.nnlang.runtime.tornado;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two-phase reductions ({@link Chunks}: the weight and bias gradients of convolutions, batchnorm's statistics
 * and backward sums) against the CPU backend ({@link BackendComparison}), on a batch large enough for many chunks.
 * The batches that follow a full one are smaller, so the chunk length does not divide the batch's rows, the last
 * chunks are partly or wholly past the batch, and chunks straddle two samples.
 */
@Tag("tornado")
class ReductionConformanceTest {
    private static String model(String input, String layers) {
        return """
                model M {
                    input x: %s
                    %s
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.5)
                    batch = 24
                }
                """.formatted(input, layers);
    }

    @Test
    void convolutionsAndBatchnormOverManyChunks() {
        // conv 1: 216 weights, 24·11 output rows in 44 chunks of 6 (a sample has 11 rows); batchnorm over 24·99
        // values per channel. conv 2: groups = 2 and stride 2. The depthwise conv keeps its bias (conv2d_grad_bias).
        BackendComparison.compare(model("[3, 11, 9]", """
                conv2d(8, kernel = 3, padding = 1, bias = false) -> batchnorm -> relu
                    conv2d(8, kernel = 3, stride = 2, padding = 1, groups = 2, bias = false) -> batchnorm -> tanh
                    depthwise_conv2d(kernel = 3, padding = 1) -> relu
                    flatten -> linear(4)"""), 24, 24, 13, 2);
    }

    @Test
    void batchnormOnABatchOfTwo() {
        // One value per channel and sample: 24 values in 5 chunks, of which a batch of 2 fills only two.
        BackendComparison.compare(model("[12]", "linear(10) -> batchnorm -> relu -> linear(3)"), 24, 24, 2, 5);
    }
}
