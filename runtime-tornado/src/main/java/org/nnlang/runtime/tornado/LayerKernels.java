package org.nnlang.runtime.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device code for the layers that are neither matrix products nor convolutions: batch normalisation, dropout,
 * softmax, the residual sum, concat and its gradient slice, the MSE loss, one-hot labels and gradient clipping. The
 * formulas are those of the CPU's reference kernels ({@code kernels.BatchNorm}, {@code Dropout}, {@code Activations},
 * {@code Concat}, {@code Losses}, {@code Elementwise}), evaluated in float; the rules of device code are those of
 * {@link DeviceKernels}.
 *
 * <p>Element-wise kernels take the buffer's size at the plan's batch capacity as their {@code @Parallel} bound and
 * the floats of one sample ({@code perSample}, 0 for an unbatched buffer taken whole): threads past
 * {@code batch[0]} samples do nothing. Reductions that must add in a fixed order (a row's softmax, the loss) are one
 * thread per row looping over its values in the order the CPU does; a channel's batchnorm sums, which run over the
 * whole batch, are two-phase reductions ({@link Chunks}): partial sums per chunk of the channel, then one thread
 * per channel adds them in chunk order.
 */
final class LayerKernels {
    /** Floats one thread squares and sums in {@link #sumOfSquares}, so that a long gradient is summed in parallel. */
    static final int SQUARES_CHUNK = 1024;

    private LayerKernels() {
    }

    // ---- batch normalisation: x is [n, C, spatial] (spatial = H·W, or 1 for a [C] input) ----

    /**
     * Phase 1 of the training statistics ({@link Chunks}, chunks of a channel as in {@link ReductionKernels}): work
     * item {@code i = c·chunks + j} writes the sum of chunk {@code j} of channel {@code c} and the sum of its squared
     * deviations from the chunk's own mean, into the two planes of {@code partials}. Two passes over the chunk, as
     * on the CPU: {@code Σx² − m·μ²} would cancel badly.
     */
    static void batchnormStatisticsChunks(FloatArray x, FloatArray partials, IntArray batch, int items,
                                          int channels, int spatial, int chunks) {
        for (@Parallel int i = 0; i < items; i++) {
            int c = i / chunks;
            int j = i % chunks;
            int m = batch.get(0) * spatial;
            float sum = ReductionKernels.chunkSum(x, c, j, m, channels, spatial, chunks);
            int values = ReductionKernels.valuesInChunk(j, m, chunks);
            float mean = values > 0 ? sum / values : 0f;
            float squares = 0f;
            for (int t = j; t < m; t += chunks) {
                float d = x.get(ReductionKernels.channelIndex(t, c, channels, spatial)) - mean;
                squares += d * d;
            }
            partials.set(j * channels + c, sum);
            partials.set((chunks + j) * channels + c, squares);
        }
    }

    /**
     * Phase 2 of the training statistics, one thread per channel: the channel's mean and {@code 1/√(σ² + ε)}
     * (biased variance) over its {@code m = n·spatial} values, saved for the normalisation and the backward, and the
     * running statistics updated as PyTorch does (with the unbiased variance). The chunks' squared deviations are
     * combined exactly (Chan et al.): a chunk of {@code v} values with sum {@code S} adds its own squares plus
     * {@code v·(S/v − μ)² = (S − v·μ)²/v}, its mean's deviation from the channel's.
     */
    static void batchnormStatistics(FloatArray partials, FloatArray runningMean, FloatArray runningVar,
                                    FloatArray savedMean, FloatArray savedInvStd, IntArray batch, int channels,
                                    int spatial, int chunks, float eps, float momentum) {
        for (@Parallel int c = 0; c < channels; c++) {
            int m = batch.get(0) * spatial;
            float sum = 0f;
            for (int j = 0; j < chunks; j++) {
                sum += partials.get(j * channels + c);
            }
            float mean = sum / m;
            float squares = 0f;
            for (int j = 0; j < chunks; j++) {
                int values = ReductionKernels.valuesInChunk(j, m, chunks);
                if (values > 0) {
                    float offset = partials.get(j * channels + c) - values * mean;
                    squares += partials.get((chunks + j) * channels + c) + offset * offset / values;
                }
            }
            savedMean.set(c, mean);
            savedInvStd.set(c, 1f / TornadoMath.sqrt(squares / m + eps));
            runningMean.set(c, (1f - momentum) * runningMean.get(c) + momentum * mean);
            runningVar.set(c, (1f - momentum) * runningVar.get(c) + momentum * (squares / (m - 1)));
        }
    }

    /** {@code y = γ·(x − μ)·invStd + β} element-wise, with the statistics {@link #batchnormStatistics} saved. */
    static void batchnormNormalize(FloatArray x, FloatArray gamma, FloatArray beta, FloatArray savedMean,
                                   FloatArray savedInvStd, FloatArray y, IntArray batch, int capacity, int channels,
                                   int spatial) {
        for (@Parallel int k = 0; k < capacity; k++) {
            if (k < batch.get(0) * channels * spatial) {
                int c = k / spatial % channels;
                float scale = gamma.get(c) * savedInvStd.get(c);
                float shift = beta.get(c) - savedMean.get(c) * scale;
                y.set(k, x.get(k) * scale + shift);
            }
        }
    }

    /** Evaluation: {@code y = γ·(x − running_mean)/√(running_var + ε) + β} element-wise. */
    static void batchnormEval(FloatArray x, FloatArray gamma, FloatArray beta, FloatArray runningMean,
                              FloatArray runningVar, FloatArray y, IntArray batch, int capacity, int channels,
                              int spatial, float eps) {
        for (@Parallel int k = 0; k < capacity; k++) {
            if (k < batch.get(0) * channels * spatial) {
                int c = k / spatial % channels;
                float scale = gamma.get(c) / TornadoMath.sqrt(runningVar.get(c) + eps);
                float shift = beta.get(c) - runningMean.get(c) * scale;
                y.set(k, x.get(k) * scale + shift);
            }
        }
    }

    /**
     * Phase 1 of the backward sums ({@link Chunks}, chunks of a channel as in {@link ReductionKernels}): work item
     * {@code i = c·chunks + j} writes {@code Σ dy} and {@code Σ dy·(x − μ)} over chunk {@code j} of channel
     * {@code c} into the two planes of {@code partials}.
     */
    static void batchnormGradChunks(FloatArray x, FloatArray dy, FloatArray savedMean, FloatArray partials,
                                    IntArray batch, int items, int channels, int spatial, int chunks) {
        for (@Parallel int i = 0; i < items; i++) {
            int c = i / chunks;
            int j = i % chunks;
            int m = batch.get(0) * spatial;
            float mean = savedMean.get(c);
            float sumDy = 0f;
            float sumDyCentred = 0f;
            for (int t = j; t < m; t += chunks) {
                int k = ReductionKernels.channelIndex(t, c, channels, spatial);
                float g = dy.get(k);
                sumDy += g;
                sumDyCentred += g * (x.get(k) - mean);
            }
            partials.set(j * channels + c, sumDy);
            partials.set((chunks + j) * channels + c, sumDyCentred);
        }
    }

    /**
     * Phase 2 of the backward sums, one thread per channel: adds the chunks' partials in order into
     * {@code dβ = Σ dy} and {@code dγ = Σ dy·x̂}, and the three per-channel factors {@link #batchnormGradInput}
     * needs, into {@code factors[3c .. 3c+2]}.
     */
    static void batchnormGradSums(FloatArray partials, FloatArray savedInvStd, FloatArray gamma, FloatArray dgamma,
                                  FloatArray dbeta, FloatArray factors, IntArray batch, int channels, int spatial,
                                  int chunks) {
        for (@Parallel int c = 0; c < channels; c++) {
            int m = batch.get(0) * spatial;
            float invStd = savedInvStd.get(c);
            float sumDy = 0f;
            float sumDyCentred = 0f;
            for (int j = 0; j < chunks; j++) {
                sumDy += partials.get(j * channels + c);
                sumDyCentred += partials.get((chunks + j) * channels + c);
            }
            float sumDyXhat = sumDyCentred * invStd;
            dbeta.set(c, sumDy);
            dgamma.set(c, sumDyXhat);
            factors.set(3 * c, gamma.get(c) * invStd);
            factors.set(3 * c + 1, sumDy / m);
            factors.set(3 * c + 2, sumDyXhat / m * invStd);
        }
    }

    /** {@code dx = γ·invStd·(dy − mean(dy) − (x − μ)·Σ(dy·x̂)/m·invStd)} element-wise, from the sums. */
    static void batchnormGradInput(FloatArray x, FloatArray dy, FloatArray savedMean, FloatArray factors,
                                   FloatArray dx, IntArray batch, int capacity, int channels, int spatial) {
        for (@Parallel int k = 0; k < capacity; k++) {
            if (k < batch.get(0) * channels * spatial) {
                int c = k / spatial % channels;
                float centred = x.get(k) - savedMean.get(c);
                float meanDy = factors.get(3 * c + 1);
                dx.set(k, factors.get(3 * c) * (dy.get(k) - meanDy - centred * factors.get(3 * c + 2)));
            }
        }
    }

    // ---- element-wise ----

    /**
     * Inverted dropout, forward and backward: {@code out = in·(mask·scale)}. The mask is drawn on the host from the
     * CPU's seeded stream and sent with the batch ({@link TornadoExecutable}), so this only applies it.
     */
    static void applyMask(FloatArray in, FloatArray mask, FloatArray out, IntArray batch, int capacity, int perSample,
                          float scale) {
        for (@Parallel int k = 0; k < capacity; k++) {
            if (k < batch.get(0) * perSample) {
                out.set(k, in.get(k) * (mask.get(k) * scale));
            }
        }
    }

    /** {@code y = a + b}; {@code perSample == 0}: unbatched buffers (gradients of a shared parameter), taken whole. */
    static void add(FloatArray a, FloatArray b, FloatArray y, IntArray batch, int capacity, int perSample) {
        for (@Parallel int k = 0; k < capacity; k++) {
            int count = perSample == 0 ? capacity : batch.get(0) * perSample;
            if (k < count) {
                y.set(k, a.get(k) + b.get(k));
            }
        }
    }

    /** {@code y = g·c[0]}: a gradient scaled by the clipping coefficient; {@code perSample} as in {@link #add}. */
    static void scale(FloatArray g, FloatArray c, FloatArray y, IntArray batch, int capacity, int perSample) {
        for (@Parallel int k = 0; k < capacity; k++) {
            int count = perSample == 0 ? capacity : batch.get(0) * perSample;
            if (k < count) {
                y.set(k, g.get(k) * c.get(0));
            }
        }
    }

    // ---- softmax over the last axis: rows of cols floats, rowsPerSample of them in each sample ----

    /** {@code y = e^(x − max) / Σ e^(x − max)}, one thread per row. */
    static void softmax(FloatArray x, FloatArray y, IntArray batch, int rowsCapacity, int rowsPerSample, int cols) {
        for (@Parallel int r = 0; r < rowsCapacity; r++) {
            if (r < batch.get(0) * rowsPerSample) {
                int row = r * cols;
                float max = x.get(row);
                for (int c = 1; c < cols; c++) {
                    max = TornadoMath.max(max, x.get(row + c));
                }
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    float e = TornadoMath.exp(x.get(row + c) - max);
                    y.set(row + c, e);
                    sum += e;
                }
                for (int c = 0; c < cols; c++) {
                    y.set(row + c, y.get(row + c) / sum);
                }
            }
        }
    }

    /** {@code dx = y·(dy − Σ dy·y)} from the forward's output, one thread per row. */
    static void softmaxGrad(FloatArray y, FloatArray dy, FloatArray dx, IntArray batch, int rowsCapacity,
                            int rowsPerSample, int cols) {
        for (@Parallel int r = 0; r < rowsCapacity; r++) {
            if (r < batch.get(0) * rowsPerSample) {
                int row = r * cols;
                float dot = 0f;
                for (int c = 0; c < cols; c++) {
                    dot += dy.get(row + c) * y.get(row + c);
                }
                for (int c = 0; c < cols; c++) {
                    dx.set(row + c, y.get(row + c) * (dy.get(row + c) - dot));
                }
            }
        }
    }

    // ---- concat and slice: a sample is rowsPerSample rows; a part fills columns [offset, offset + partInner) ----

    /** One input of a concat into its columns of {@code y}; one task per input, as the CPU's {@code Concat.copyIn}. */
    static void copyIn(FloatArray part, FloatArray y, IntArray batch, int partCapacity, int rowsPerSample,
                       int partInner, int totalInner, int offset) {
        for (@Parallel int k = 0; k < partCapacity; k++) {
            int r = k / partInner;
            if (r < batch.get(0) * rowsPerSample) {
                y.set(r * totalInner + offset + k % partInner, part.get(k));
            }
        }
    }

    /** The gradient of one input of a concat: its columns of {@code dy} ({@code slice}, {@code Concat.copyOut}). */
    static void copyOut(FloatArray dy, FloatArray part, IntArray batch, int partCapacity, int rowsPerSample,
                        int partInner, int totalInner, int offset) {
        for (@Parallel int k = 0; k < partCapacity; k++) {
            int r = k / partInner;
            if (r < batch.get(0) * rowsPerSample) {
                part.set(k, dy.get(r * totalInner + offset + k % partInner));
            }
        }
    }

    // ---- losses and labels ----

    /**
     * Each row's mean of {@code (prediction − target)²}, one thread per row. Rows are equally long, so the mean of
     * these ({@link DeviceKernels#meanOfRows}, in order) is the mean over the batch.
     */
    static void mseRows(FloatArray prediction, FloatArray target, FloatArray rowMeans, IntArray batch, int rows,
                        int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            if (r < batch.get(0)) {
                float sum = 0f;
                for (int c = 0; c < cols; c++) {
                    float d = prediction.get(r * cols + c) - target.get(r * cols + c);
                    sum += d * d;
                }
                rowMeans.set(r, sum / cols);
            }
        }
    }

    /** {@code dprediction = (prediction − target)·2/count}, count the floats of the batch (PyTorch's one factor). */
    static void mseGrad(FloatArray prediction, FloatArray target, FloatArray dprediction, IntArray batch,
                        int capacity, int perSample) {
        for (@Parallel int k = 0; k < capacity; k++) {
            int count = batch.get(0) * perSample;
            if (k < count) {
                dprediction.set(k, (prediction.get(k) - target.get(k)) * (2f / count));
            }
        }
    }

    /** Row {@code r} of {@code y} is 1 at column {@code labels[r]} and 0 elsewhere. */
    static void oneHot(FloatArray labels, FloatArray y, IntArray batch, int rows, int classes) {
        for (@Parallel int r = 0; r < rows; r++) {
            if (r < batch.get(0)) {
                int label = (int) labels.get(r);
                for (int c = 0; c < classes; c++) {
                    y.set(r * classes + c, c == label ? 1f : 0f);
                }
            }
        }
    }

    // ---- gradient clipping: partial sums of squares per chunk of each gradient, then the coefficient ----

    /**
     * {@code partials[first + j] = Σ g²} over chunk {@code j} ({@link #SQUARES_CHUNK} floats) of one gradient, one
     * thread per chunk.
     */
    static void sumOfSquares(FloatArray g, FloatArray partials, int first, int chunks, int count) {
        for (@Parallel int j = 0; j < chunks; j++) {
            int end = TornadoMath.min((j + 1) * SQUARES_CHUNK, count);
            float sum = 0f;
            for (int k = j * SQUARES_CHUNK; k < end; k++) {
                float v = g.get(k);
                sum += v * v;
            }
            partials.set(first + j, sum);
        }
    }

    /**
     * {@code c = min(1, maxNorm / (‖g‖ + eps))} from all the partial sums, added in order by one thread;
     * {@code eps} is PyTorch's 1e-6.
     */
    static void clipCoefficient(FloatArray partials, FloatArray c, int count, float maxNorm, float eps) {
        float sum = 0f;
        for (int j = 0; j < count; j++) {
            sum += partials.get(j);
        }
        c.set(0, TornadoMath.min(1f, maxNorm / (TornadoMath.sqrt(sum) + eps)));
    }
}
