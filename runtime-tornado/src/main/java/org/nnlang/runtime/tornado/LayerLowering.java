package org.nnlang.runtime.tornado;

import java.util.ArrayList;
import java.util.List;
import org.nnlang.runtime.kernels.Dropout;
import org.nnlang.runtime.plan.StepSpec;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Lowers the remaining layers: batchnorm (train, eval, grad), dropout, softmax, add, concat, slice, mse, one_hot,
 * clip_coefficient and scale to TornadoVM tasks ({@link LayerKernels}); see {@link KernelLowering}. Buffers and
 * attributes are bound as the CPU backend's {@code NormSteps}, {@code ElementwiseSteps}, {@code LossSteps} and
 * {@code OptimizerSteps} bind them.
 */
final class LayerLowering {
    /** PyTorch's {@code clip_grad_norm_} adds this to the norm before dividing. */
    private static final float CLIP_EPS = 1e-6f;

    private final KernelLowering base;

    LayerLowering(KernelLowering base) {
        this.base = base;
    }

    /** The ids of the tasks added for {@code step}, or {@code null} if its kernel is not one of these. */
    List<String> lower(String id, StepSpec step) {
        return switch (step.kernel()) {
            case "batchnorm_train" -> batchnormTrain(id, step);
            case "batchnorm_eval" -> List.of(base.add(id, LayerKernels::batchnormEval, base.in(step, 0),
                    base.in(step, 1), base.in(step, 2), base.in(step, 3), base.in(step, 4), base.out(step, 0),
                    base.arrays.batch, base.capacity(step.output(0)), channels(step), spatial(step),
                    (float) step.doubleAttribute("eps")));
            case "batchnorm_grad" -> batchnormGrad(id, step);
            // The mask is an input of the task, not an output: TornadoExecutable draws it on the host.
            case "dropout" -> List.of(base.add(id, LayerKernels::applyMask, base.in(step, 0), base.out(step, 1),
                    base.out(step, 0), base.arrays.batch, base.capacity(step.output(0)),
                    base.perSample(step.output(0)), dropoutScale(step)));
            case "dropout_grad" -> List.of(base.add(id, LayerKernels::applyMask, base.in(step, 0), base.in(step, 1),
                    base.out(step, 0), base.arrays.batch, base.capacity(step.output(0)),
                    base.perSample(step.output(0)), dropoutScale(step)));
            case "softmax" -> List.of(base.add(id, LayerKernels::softmax, base.in(step, 0), base.out(step, 0),
                    base.arrays.batch, rowsCapacity(step), rowsPerSample(step), lastDim(step)));
            case "softmax_grad" -> List.of(base.add(id, LayerKernels::softmaxGrad, base.in(step, 0),
                    base.in(step, 1), base.out(step, 0), base.arrays.batch, rowsCapacity(step), rowsPerSample(step),
                    lastDim(step)));
            case "add" -> List.of(base.add(id, LayerKernels::add, base.in(step, 0), base.in(step, 1),
                    base.out(step, 0), base.arrays.batch, base.capacity(step.output(0)),
                    base.perSample(step.output(0))));
            case "concat" -> concat(id, step);
            case "slice" -> slice(id, step);
            case "mse" -> mse(id, step);
            case "mse_grad" -> List.of(base.add(id, LayerKernels::mseGrad, base.in(step, 0), base.in(step, 1),
                    base.out(step, 0), base.arrays.batch, base.capacity(step.output(0)),
                    base.arrays.sampleSize(step.input(0))));
            case "one_hot" -> List.of(base.add(id, LayerKernels::oneHot, base.in(step, 0), base.out(step, 0),
                    base.arrays.batch, base.capacityRows(step.input(0)), base.arrays.sampleSize(step.output(0))));
            case "clip_coefficient" -> clipCoefficient(id, step);
            case "scale" -> List.of(base.add(id, LayerKernels::scale, base.in(step, 0), base.in(step, 1),
                    base.out(step, 0), base.arrays.batch, base.capacity(step.output(0)),
                    base.perSample(step.output(0))));
            default -> null;
        };
    }

    /** Floats of {@link KernelLowering#scratch} the step's reduction needs; 0 if it has none. */
    int scratchFloats(StepSpec step) {
        return switch (step.kernel()) {
            // Two sums per chunk: Σx and the squared deviations, or Σdy and Σdy·(x − μ).
            case "batchnorm_train", "batchnorm_grad" -> 2 * batchnormChunks(step).items();
            default -> 0;
        };
    }

    // ---- batch normalisation: a two-phase reduction per channel (Chunks), then an element-wise pass ----

    private List<String> batchnormTrain(String id, StepSpec step) {
        Chunks chunks = batchnormChunks(step);
        return List.of(
                base.add(id + "_chunks", LayerKernels::batchnormStatisticsChunks, base.in(step, 0), base.scratch,
                        base.arrays.batch, chunks.items(), channels(step), spatial(step), chunks.count()),
                base.add(id + "_statistics", LayerKernels::batchnormStatistics, base.scratch, base.in(step, 3),
                        base.in(step, 4), base.out(step, 1), base.out(step, 2), base.arrays.batch, channels(step),
                        spatial(step), chunks.count(), (float) step.doubleAttribute("eps"),
                        (float) step.doubleAttribute("momentum")),
                base.add(id, LayerKernels::batchnormNormalize, base.in(step, 0), base.in(step, 1), base.in(step, 2),
                        base.out(step, 1), base.out(step, 2), base.out(step, 0), base.arrays.batch,
                        base.capacity(step.output(0)), channels(step), spatial(step)));
    }

    private List<String> batchnormGrad(String id, StepSpec step) {
        Chunks chunks = batchnormChunks(step);
        // Per channel: γ·invStd, mean(dy) and Σ(dy·x̂)/m·invStd, handed from the sums to the dx pass.
        FloatArray factors = new FloatArray(3 * channels(step));
        return List.of(
                base.add(id + "_chunks", LayerKernels::batchnormGradChunks, base.in(step, 0), base.in(step, 1),
                        base.in(step, 2), base.scratch, base.arrays.batch, chunks.items(), channels(step),
                        spatial(step), chunks.count()),
                base.add(id + "_sums", LayerKernels::batchnormGradSums, base.scratch, base.in(step, 3),
                        base.in(step, 4), base.out(step, 1), base.out(step, 2), factors, base.arrays.batch,
                        channels(step), spatial(step), chunks.count()),
                base.add(id, LayerKernels::batchnormGradInput, base.in(step, 0), base.in(step, 1), base.in(step, 2),
                        factors, base.out(step, 0), base.arrays.batch, base.capacity(step.output(0)), channels(step),
                        spatial(step)));
    }

    /** One sum per channel, over the capacity × spatial values of the channel. */
    private Chunks batchnormChunks(StepSpec step) {
        return Chunks.of(channels(step), base.capacityRows(step.input(0)) * spatial(step), 1);
    }

    /** {@code [C]} or {@code [C, H, W]}: the channels are the first per-sample dimension. */
    private int channels(StepSpec step) {
        return base.arrays.spec(step.input(0)).dims()[0];
    }

    /** Values per channel per sample: {@code H·W}, or 1 for a {@code [C]} input. */
    private int spatial(StepSpec step) {
        int[] dims = base.arrays.spec(step.input(0)).dims();
        return dims.length == 3 ? dims[1] * dims[2] : 1;
    }

    private static float dropoutScale(StepSpec step) {
        return Dropout.scale((float) step.doubleAttribute("p"));
    }

    // ---- softmax over the last axis ----

    private int lastDim(StepSpec step) {
        int[] dims = base.arrays.spec(step.output(0)).dims();
        return dims[dims.length - 1];
    }

    private int rowsPerSample(StepSpec step) {
        return base.arrays.sampleSize(step.output(0)) / lastDim(step);
    }

    private int rowsCapacity(StepSpec step) {
        return base.capacity(step.output(0)) / lastDim(step);
    }

    // ---- concat and slice: rows are everything before the axis, a row everything from it on ----

    private List<String> concat(String id, StepSpec step) {
        int[] dims = base.arrays.spec(step.output(0)).dims();
        int rowsPerSample = rowsBefore(dims, step.intAttribute("axis"));
        int totalInner = base.arrays.sampleSize(step.output(0)) / rowsPerSample;
        List<String> tasks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < step.inputs().length; i++) {
            int partInner = base.arrays.sampleSize(step.input(i)) / rowsPerSample;
            tasks.add(base.add(id + "_" + i, LayerKernels::copyIn, base.in(step, i), base.out(step, 0),
                    base.arrays.batch, base.capacity(step.input(i)), rowsPerSample, partInner, totalInner, offset));
            offset += partInner;
        }
        return tasks;
    }

    private List<String> slice(String id, StepSpec step) {
        int axis = step.intAttribute("axis");
        // From the part's dims, as on the CPU: dy may be a flattened view whose dims no longer show the axis.
        int[] dims = base.arrays.spec(step.output(0)).dims();
        int rowsPerSample = rowsBefore(dims, axis);
        int totalInner = base.arrays.sampleSize(step.input(0)) / rowsPerSample;
        int partInner = base.arrays.sampleSize(step.output(0)) / rowsPerSample;
        int offset = step.intAttribute("offset") * (partInner / dims[axis]);
        return List.of(base.add(id, LayerKernels::copyOut, base.in(step, 0), base.out(step, 0), base.arrays.batch,
                base.capacity(step.output(0)), rowsPerSample, partInner, totalInner, offset));
    }

    private static int rowsBefore(int[] dims, int axis) {
        int rows = 1;
        for (int i = 0; i < axis; i++) {
            rows *= dims[i];
        }
        return rows;
    }

    // ---- mse: a parallel pass per row, then one task averages the rows in order ----

    private List<String> mse(String id, StepSpec step) {
        int rows = base.capacityRows(step.input(0));
        FloatArray rowMeans = new FloatArray(rows);
        return List.of(
                base.add(id + "_rows", LayerKernels::mseRows, base.in(step, 0), base.in(step, 1), rowMeans,
                        base.arrays.batch, rows, base.arrays.sampleSize(step.input(0))),
                base.add(id + "_mean", DeviceKernels::meanOfRows, rowMeans, base.out(step, 0), base.arrays.batch));
    }

    // ---- clip_grad_norm: squares summed per chunk of every gradient, then the coefficient from all chunks ----

    private List<String> clipCoefficient(String id, StepSpec step) {
        int[] chunks = new int[step.inputs().length];
        int total = 0;
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = (base.capacity(step.input(i)) + LayerKernels.SQUARES_CHUNK - 1) / LayerKernels.SQUARES_CHUNK;
            total += chunks[i];
        }
        FloatArray partials = new FloatArray(total);
        List<String> tasks = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < chunks.length; i++) {
            tasks.add(base.add(id + "_squares" + i, LayerKernels::sumOfSquares, base.in(step, i), partials, first,
                    chunks[i], base.capacity(step.input(i))));
            first += chunks[i];
        }
        tasks.add(base.add(id, LayerKernels::clipCoefficient, partials, base.out(step, 0), total,
                (float) step.doubleAttribute("max_norm"), CLIP_EPS));
        return tasks;
    }
}
