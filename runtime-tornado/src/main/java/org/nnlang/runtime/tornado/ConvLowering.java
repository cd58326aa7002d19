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
            case "conv2d_grad_weight" -> gradWeight(id, step);
            case "conv2d_grad_bias" -> gradBias(id, step);
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

    /** Floats of {@link KernelLowering#scratch} the step's reduction needs; 0 if it has none. */
    int scratchFloats(StepSpec step) {
        return switch (step.kernel()) {
            case "conv2d_grad_weight" -> gradWeightChunks(step).items();
            case "conv2d_grad_bias" -> gradBiasChunks(step).items();
            default -> 0;
        };
    }

    // ---- weight and bias gradients: two-phase reductions over the batch (Chunks) ----

    /** Partial sums of {@code dw} over chunks of the batch's output rows, then the partials of each weight added. */
    private List<String> gradWeight(String id, StepSpec step) {
        Chunks chunks = gradWeightChunks(step);
        return List.of(
                base.add(id + "_chunks", ConvKernels::convGradWeightChunks, base.in(step, 0), base.in(step, 1),
                        base.scratch, convGeometry(step, step.input(1), step.output(0)), base.arrays.batch,
                        chunks.items(), chunks.outputs(), chunks.chunkLength()),
                base.add(id, ReductionKernels::sumChunks, base.scratch, base.out(step, 0), chunks.outputs(),
                        chunks.count()));
    }

    /** One sum per weight, over the output rows of the batch (capacity × OH rows of OW products each). */
    private Chunks gradWeightChunks(StepSpec step) {
        int[] out = outputSize(step, image(step.input(1)), base.arrays.spec(step.output(0)).dims()[2]);
        return Chunks.of(base.capacity(step.output(0)), base.capacityRows(step.input(1)) * out[0], out[1]);
    }

    /** {@code db[o] = Σ dy[s,o,·,·]}: partial sums over chunks of each channel, then the partials added. */
    private List<String> gradBias(String id, StepSpec step) {
        Chunks chunks = gradBiasChunks(step);
        int channels = chunks.outputs();
        return List.of(
                base.add(id + "_chunks", ReductionKernels::channelSumChunks, base.in(step, 0), base.scratch,
                        base.arrays.batch, chunks.items(), channels, base.arrays.sampleSize(step.input(0)) / channels,
                        chunks.count()),
                base.add(id, ReductionKernels::sumChunks, base.scratch, base.out(step, 0), channels, chunks.count()));
    }

    /** One sum per output channel, over its capacity × OH·OW values of {@code dy}. */
    private Chunks gradBiasChunks(StepSpec step) {
        int channels = base.capacity(step.output(0));
        int plane = base.arrays.sampleSize(step.input(0)) / channels;
        return Chunks.of(channels, base.capacityRows(step.input(0)) * plane, 1);
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
        int[] out = outputSize(step, x, w[2]);
        return ConvKernels.geometry(x, w[0], out[0], out[1], w[2], step.intAttribute("stride"),
                step.intAttribute("padding"), step.intAttribute("dilation"), step.intAttribute("groups"));
    }

    /** {@code [OH, OW]} of a convolution with input-side image {@code x} ({@code [C, H, W]}) and a K × K kernel. */
    private static int[] outputSize(StepSpec step, int[] x, int kernel) {
        int stride = step.intAttribute("stride");
        int padding = step.intAttribute("padding");
        int dilation = step.intAttribute("dilation");
        // OH = ⌊(H + 2P − D·(K − 1) − 1) / S⌋ + 1, as the compiler's shape rule (OW likewise).
        int reach = dilation * (kernel - 1) + 1;
        return new int[] {(x[1] + 2 * padding - reach) / stride + 1, (x[2] + 2 * padding - reach) / stride + 1};
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
