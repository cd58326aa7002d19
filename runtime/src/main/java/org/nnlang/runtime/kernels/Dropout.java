package org.nnlang.runtime.kernels;

import org.nnlang.runtime.tensor.Rng;

/**
 * Inverted dropout, as PyTorch's {@code nn.Dropout} in training mode: each element is kept with probability
 * {@code 1 − p} and scaled so that the expected output equals the input.
 * <pre>
 *   mask[k] = 1 with probability 1 − p, else 0             (drawn from the run's seeded {@link Rng})
 *   y[k]    = x[k]  · mask[k] · 1/(1 − p)
 *   dx[k]   = dy[k] · mask[k] · 1/(1 − p)                   (the same mask as the forward)
 * </pre>
 * {@code p = 0} keeps everything and returns {@code x} unchanged; {@code p = 1} drops everything and returns
 * zeros (the scale is taken as 0 rather than 1/0), as PyTorch does. In inference mode dropout is the identity
 * and needs no kernel.
 *
 * <p>The mask is a buffer of 0/1 floats shaped like {@code x}, written by {@link #drawMask} and read by both
 * {@link #forward} and {@link #backward}. Drawing is separate from applying because an {@link Rng} is sequential:
 * for a run to be reproducible regardless of the number of threads, one thread must draw the whole mask with
 * one generator, in index order, once per training step (it costs one random number per element, whatever
 * {@code p}). Applying the mask is then split over any element ranges. Nothing allocates and nothing is kept.
 */
public final class Dropout {
    private Dropout() {
    }

    /**
     * Overwrites {@code mask[from..to)} with independent draws: {@code 1} where {@code rng.nextFloat() ≥ p}
     * (probability {@code 1 − p}), else {@code 0}. Advances {@code rng} by exactly {@code to − from} draws.
     *
     * @throws IllegalArgumentException if {@code p} is not in {@code [0, 1]}
     */
    public static void drawMask(Rng rng, float[] mask, float p, int from, int to) {
        checkProbability(p);
        for (int k = from; k < to; k++) {
            mask[k] = rng.nextFloat() >= p ? 1f : 0f;
        }
    }

    /** Elements {@code [from, to)} of {@code y = x · mask / (1 − p)}, overwriting them. */
    public static void forward(float[] x, float[] mask, float[] y, float p, int from, int to) {
        float scale = scale(p);
        for (int k = from; k < to; k++) {
            y[k] = x[k] * (mask[k] * scale);
        }
    }

    /** Elements {@code [from, to)} of {@code dx = dy · mask / (1 − p)}, overwriting them. */
    public static void backward(float[] dy, float[] mask, float[] dx, float p, int from, int to) {
        forward(dy, mask, dx, p, from, to);
    }

    /**
     * The factor a kept element is multiplied by: {@code 1/(1 − p)} computed in float as PyTorch does, and 0 for
     * {@code p = 1}, where nothing is kept.
     */
    public static float scale(float p) {
        checkProbability(p);
        return p == 1f ? 0f : 1f / (1f - p);
    }

    private static void checkProbability(float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
    }
}
