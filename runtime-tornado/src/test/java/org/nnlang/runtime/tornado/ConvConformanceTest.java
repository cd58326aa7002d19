package org.nnlang.runtime.tornado;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.kernels.Pooling;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Convolutions and pooling on TornadoVM against the CPU backend ({@link BackendComparison}). Every model ends in
 * linear layers and a loss, so each step runs the forward kernel and its gradients: a wrong {@code conv2d_grad_input}
 * shows in the parameters of the layers before it, a wrong {@code conv2d_grad_weight} or {@code conv2d_grad_bias} in
 * the convolution's own. Inputs have odd, non-square sizes so that rows and columns cannot be swapped unnoticed,
 * and the last batch of each run is partial (threads past the batch must do nothing). The models stay tiny: each
 * kernel costs a compile of 1–3 s on PoCL. Ties in max pooling, which random inputs never produce, get a test of
 * their own on the kernel.
 */
@Tag("tornado")
class ConvConformanceTest {
    private static String cnn(String input, String layers) {
        return """
                model M {
                    input x: %s
                    %s
                    flatten -> linear(4)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.5)
                    batch = 4
                }
                """.formatted(input, layers);
    }

    private static void compare(String input, String layers) {
        BackendComparison.compare(cnn(input, layers), 4, 4, 3);
    }

    @Test
    void convolutionWithBiasAndPadding() {
        // Two convolutions, so the first one's input gradient feeds the second's weight gradient.
        compare("[3, 9, 7]", "conv2d(4, kernel = 3, padding = 1) -> relu -> conv2d(3, kernel = 3) -> relu");
    }

    @Test
    void convolutionAndConcatStraightIntoFlatten() {
        // Their gradients then arrive through flatten's flat buffer, without the image dims.
        compare("[2, 7, 5]", "conv2d(3, kernel = 3, padding = 1) -> relu -> conv2d(2, kernel = 3, padding = 1)");
        compare("[2, 7, 5]", "a = conv2d(2, kernel = 1)\n    b = x -> conv2d(3, kernel = 3, padding = 1)\n"
                + "    (a, b) -> concat(axis = 0)");
    }

    @Test
    void convolutionWithoutBiasAndStride2() {
        compare("[2, 9, 7]", "conv2d(3, kernel = 3, padding = 1) -> tanh -> conv2d(4, kernel = 3, stride = 2, "
                + "bias = false) -> relu");
    }

    @Test
    void paddingSameAndDilation2() {
        compare("[2, 9, 8]", "conv2d(3, kernel = 3) -> tanh -> conv2d(3, kernel = 5, padding = same) -> tanh "
                + "-> conv2d(4, kernel = 3, dilation = 2, padding = 1) -> tanh");
    }

    @Test
    void groupedConvolution() {
        compare("[4, 7, 6]", "conv2d(4, kernel = 1) -> tanh -> conv2d(6, kernel = 3, groups = 2, stride = 2, "
                + "padding = 1) -> tanh");
    }

    @Test
    void depthwiseConvolutions() {
        // depthwise_conv2d is a conv2d with groups = channels: multiplier 1, then 2 with a stride.
        compare("[3, 8, 7]", "conv2d(3, kernel = 1) -> tanh -> depthwise_conv2d(kernel = 3, padding = same) -> tanh "
                + "-> depthwise_conv2d(kernel = 3, multiplier = 2, stride = 2, bias = false) -> tanh");
    }

    @Test
    void maxPoolingWithStrideAndPadding() {
        // Overlapping windows (3 wide, stride 2) let one input collect the gradient of several outputs; padding 1
        // puts windows over the edge. The second pooling has the default stride (= kernel).
        compare("[2, 9, 7]", "conv2d(3, kernel = 3, padding = 1) -> max_pool2d(3, stride = 2, padding = 1) "
                + "-> tanh -> max_pool2d(2)");
    }

    @Test
    void averagePooling() {
        // Padding counts in the divisor (count_include_pad), as in PyTorch.
        compare("[2, 9, 7]", "conv2d(3, kernel = 3, padding = 1) -> avg_pool2d(3, stride = 2, padding = 1) "
                + "-> tanh -> avg_pool2d(2, stride = 1)");
    }

    @Test
    void globalAveragePooling() {
        BackendComparison.compare("""
                model M {
                    input x: [3, 7, 5]
                    conv2d(5, kernel = 3, padding = 1) -> tanh -> global_avg_pool -> linear(4)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.5)
                    batch = 4
                }
                """, 4, 4, 3);
    }

    @Test
    void maxPoolBreaksTiesAndRecordsIndicesLikeTheCpu() throws Exception {
        // max_pool2d_grad trusts the recorded indices, and whether the first or the last of equal maxima is recorded
        // only shows when a window holds ties. Values from {0, 1, 2} give windows full of them; overlapping,
        // padded windows (3, stride 2, padding 1) on a 7 × 6 plane, two channels, two samples.
        Pooling.Geometry g = Pooling.Geometry.square(2, 7, 6, 3, 2, 1);
        int samples = 2;
        float[] x = new float[samples * g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 + i / 5) % 3;
        }
        float[] maxima = new float[samples * g.outputSize()];
        float[] indices = new float[maxima.length];
        Pooling.maxPool2dForward(x, maxima, indices, g, 0, samples);

        FloatArray deviceX = FloatArray.fromArray(x);
        FloatArray deviceMaxima = new FloatArray(maxima.length);
        FloatArray deviceIndices = new FloatArray(maxima.length);
        IntArray batch = IntArray.fromElements(samples);
        IntArray geometry = ConvKernels.geometry(new int[] {2, 7, 6}, 2, g.outHeight(), g.outWidth(), 3, 2, 1, 1, 2);
        TaskGraph graph = new TaskGraph("ties")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, deviceX, batch)
                .task("pool", ConvKernels::maxPool, deviceX, deviceMaxima, deviceIndices, geometry, batch,
                        maxima.length)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, deviceMaxima, deviceIndices);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoDevices.choose("gpu").device()).execute();
            plan.freeDeviceMemory();
        }
        BackendComparison.assertClose("maxima", maxima, deviceMaxima.toHeapArray(), maxima.length);
        BackendComparison.assertClose("indices", indices, deviceIndices.toHeapArray(), indices.length);
    }
}
