package org.nnlang.runtime.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The shared parts of the two-phase reductions ({@link Chunks}): the partial-sum layout, the per-channel chunks and
 * phase 2, which adds the partials.
 *
 * <p><b>Layout of the partials.</b> The partial of output {@code k} (a weight, a channel) over chunk {@code j} is
 * {@code partials[j·outputs + k]}: in phase 2 neighbouring work items (neighbouring outputs) then read neighbouring
 * floats. A reduction that keeps two sums per chunk (batchnorm) puts the second plane after the first, at
 * {@code (chunks + j)·outputs + k}. The partials live in one scratch array per task graph, allocated on the device
 * when the plan is loaded ({@link KernelLowering#scratch}); the steps of a graph run one after the other and each
 * reduction writes its partials before it reads them, so one array serves them all.
 *
 * <p><b>Chunks of a channel.</b> A channel's values in an NCHW batch are {@code n} planes of {@code spatial} floats,
 * one per sample; number them {@code t = s·spatial + p}, {@code 0 ≤ t < n·spatial}. Chunk {@code j} of
 * {@code chunks} takes every {@code chunks}-th value from {@code j} on ({@code t = j, j + chunks, …}): work items
 * {@code j} and {@code j + 1} then read neighbouring floats at every step of their loops, which a GPU serves with
 * one memory transaction for a whole warp.
 */
final class ReductionKernels {
    private ReductionKernels() {
    }

    /** Phase 2: {@code out[k] = Σ_j partials[j·count + k]}, the {@code chunks} partials added in chunk order. */
    static void sumChunks(FloatArray partials, FloatArray out, int count, int chunks) {
        for (@Parallel int k = 0; k < count; k++) {
            float sum = 0f;
            for (int j = 0; j < chunks; j++) {
                sum += partials.get(j * count + k);
            }
            out.set(k, sum);
        }
    }

    /**
     * Phase 1 of a per-channel sum {@code Σ_{s,p} values[s, c, p]} (a convolution's bias gradient): work item
     * {@code i = c·chunks + j} adds chunk {@code j} of channel {@code c} into {@code partials[j·channels + c]}.
     */
    static void channelSumChunks(FloatArray values, FloatArray partials, IntArray batch, int items, int channels,
                                 int spatial, int chunks) {
        for (@Parallel int i = 0; i < items; i++) {
            int c = i / chunks;
            int j = i % chunks;
            partials.set(j * channels + c, chunkSum(values, c, j, batch.get(0) * spatial, channels, spatial, chunks));
        }
    }

    /** The sum of chunk {@code j} of channel {@code c}: its values {@code t = j, j + chunks, … < m}. */
    static float chunkSum(FloatArray values, int c, int j, int m, int channels, int spatial, int chunks) {
        float sum = 0f;
        for (int t = j; t < m; t += chunks) {
            sum += values.get(channelIndex(t, c, channels, spatial));
        }
        return sum;
    }

    /** Where value {@code t} (sample {@code t / spatial}, position {@code t % spatial}) of channel {@code c} is. */
    static int channelIndex(int t, int c, int channels, int spatial) {
        return (t / spatial * channels + c) * spatial + t % spatial;
    }

    /** How many of {@code m} values chunk {@code j} of {@code chunks} takes: those {@code t < m}, {@code t ≡ j}. */
    static int valuesInChunk(int j, int m, int chunks) {
        return j < m ? (m - j + chunks - 1) / chunks : 0;
    }
}
