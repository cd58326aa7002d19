package org.nnlang.runtime.tornado;

import java.util.List;
import org.nnlang.runtime.plan.StepSpec;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Lowers convolutions and pooling: conv2d (stride, padding, dilation, groups, so depthwise too: the compiler writes
 * {@code depthwise_conv2d} as a conv2d with {@code groups = channels}) and its three gradients, max_pool2d,
 * avg_pool2d, global_avg_pool and their gradients to TornadoVM tasks ({@link ConvKernels}); see
 * {@link KernelLowering}.
 *
 * <p>Shapes come from the step's buffers ({@code [C, H, W]} per sample, weights {@code [O, C/G, K, K]}) and its
 * attributes, exactly as the CPU's {@code ConvSteps} reads them; the compiler has already turned
 * {@code padding = same} into a number.
 */
final class ConvLowering {
    private final KernelLowering base;

    ConvLowering(KernelLowering base) {
        this.base = base;
    }

    /** The ids of the tasks added for {@code step}, or {@code null} if its kernel is not one of these. */
    List<String> lower(String id, StepSpec step) {
        return switch (step.kernel()) {
            case "conv2d" -> List.of(base.add(id, ConvKernels::convForward, base.in(step, 0), base.in(step, 1),
                    step.inputs().length > 2 ? base.in(step, 2) : base.none, base.out(step, 0),
                    convGeometry(step, step.input(0), step.input(1)), base.arrays.batch,
                    base.capacity(step.output(0)), step.inputs().length > 2 ? 1 : 0));
            case "conv2d_grad_input" -> List.of(base.add(id, ConvKernels::convGradInput, base.in(step, 0),
                    base.in(step, 1), base.out(step, 0), convGeometry(step, step.output(0), step.input(1)),
                    base.arrays.batch, base.capacity(step.output(0))));
            case "conv2d_grad_weight" -> List.of(base.add(id, ConvKernels::convGradWeight, base.in(step, 0),
                    base.in(step, 1), base.out(step, 0), convGeometry(step, step.input(1), step.output(0)),
                    base.arrays.batch, base.capacity(step.output(0))));
            case "conv2d_grad_bias" -> {
                int channels = base.capacity(step.output(0));
                yield List.of(base.add(id, ConvKernels::convGradBias, base.in(step, 0), base.out(step, 0),
                        base.arrays.batch, channels, base.arrays.sampleSize(step.input(0)) / channels));
            }
            case "max_pool2d" -> List.of(base.add(id, ConvKernels::maxPool, base.in(step, 0), base.out(step, 0),
                    base.out(step, 1), poolGeometry(step, step.input(0)), base.arrays.batch,
                    base.capacity(step.output(0))));
            case "max_pool2d_grad" -> List.of(base.add(id, ConvKernels::maxPoolGrad, base.in(step, 0),
                    base.in(step, 1), base.out(step, 0), poolGeometry(step, step.output(0)), base.arrays.batch,
                    base.capacity(step.output(0))));
            case "avg_pool2d" -> List.of(base.add(id, ConvKernels::avgPool, base.in(step, 0), base.out(step, 0),
                    poolGeometry(step, step.input(0)), base.arrays.batch, base.capacity(step.output(0))));
            case "avg_pool2d_grad" -> List.of(base.add(id, ConvKernels::avgPoolGrad, base.in(step, 0),
                    base.out(step, 0), poolGeometry(step, step.output(0)), base.arrays.batch,
                    base.capacity(step.output(0))));
            case "global_avg_pool" -> {
                int[] x = image(step.input(0));
                yield List.of(base.add(id, ConvKernels::globalAvgPool, base.in(step, 0), base.out(step, 0),
                        base.arrays.batch, base.capacity(step.output(0)), x[0], x[1] * x[2]));
            }
            case "global_avg_pool_grad" -> {
                int[] dx = image(step.output(0));
                yield List.of(base.add(id, ConvKernels::globalAvgPoolGrad, base.in(step, 0), base.out(step, 0),
                        base.arrays.batch, base.capacity(step.output(0)), dx[0], dx[1] * dx[2]));
            }
            default -> null;
        };
    }

    /**
     * Per-sample dims {@code [C, H, W]} of the step's <em>input-side</em> image (x, or dx in a gradient), as the
     * CPU's {@code ConvSteps} takes them. The output side is worked out from the attributes instead: an output
     * gradient {@code dy} may be the buffer of a following {@code flatten} (a view), whose dims are flat.
     */
    private int[] image(int id) {
        return base.arrays.spec(id).dims();
    }

    /**
     * The geometry array ({@link ConvKernels#IN_CHANNELS} …) of a convolution with input-side image {@code image}
     * and weight {@code [O, C/G, K, K]} {@code weight}.
     */
    private IntArray convGeometry(StepSpec step, int image, int weight) {
        int[] x = image(image);
        int[] w = base.arrays.spec(weight).dims();
        int kernel = w[2];
        int stride = step.intAttribute("stride");
        int padding = step.intAttribute("padding");
        int dilation = step.intAttribute("dilation");
        // OH = ⌊(H + 2P − D·(K − 1) − 1) / S⌋ + 1, as the compiler's shape rule (OW likewise).
        int reach = dilation * (kernel - 1) + 1;
        int outHeight = (x[1] + 2 * padding - reach) / stride + 1;
        int outWidth = (x[2] + 2 * padding - reach) / stride + 1;
        return ConvKernels.geometry(x, w[0], outHeight, outWidth, kernel, stride, padding, dilation,
                step.intAttribute("groups"));
    }

    /** The same layout for pooling: each channel pooled on its own (groups = channels), no dilation. */
    private IntArray poolGeometry(StepSpec step, int image) {
        int[] x = image(image);
        int kernel = step.intAttribute("kernel");
        int stride = step.intAttribute("stride");
        int padding = step.intAttribute("padding");
        // OH = ⌊(H + 2P − K) / S⌋ + 1 (OW likewise): ceil_mode = False.
        int outHeight = (x[1] + 2 * padding - kernel) / stride + 1;
        int outWidth = (x[2] + 2 * padding - kernel) / stride + 1;
        return ConvKernels.geometry(x, x[0], outHeight, outWidth, kernel, stride, padding, 1, x[0]);
    }
}
