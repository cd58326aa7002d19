package org.nnlang.runtime.kernels;

/**
 * Activations over flat arrays: the element-wise ones on an element range {@code [from, to)}, softmax on a row
 * range.
 *
 * <pre>
 *   relu:   y = max(x, 0)
 *   dx = dy  where y &gt; 0,  0 elsewhere
 * </pre>
 *
 * <p>The backward reads the forward's output {@code y}, not its input, as PyTorch's {@code threshold_backward}
 * does: the planner can then free {@code x} after the forward. At {@code x = 0} the gradient is 0 (PyTorch's
 * choice of subgradient). Allocation-free and stateless, so disjoint ranges may run on different threads.
 *
 * <p>The smooth activations, with PyTorch's definitions:
 * <pre>
 *   sigmoid: y = 1 / (1 + e^(−x))            dx = dy · y · (1 − y)           (backward from y)
 *   tanh:    y = tanh(x)                     dx = dy · (1 − y²)              (backward from y)
 *   gelu:    y = x · Φ(x)                    dx = dy · (Φ(x) + x · φ(x))     (backward from x)
 *            Φ(x) = ½ erfc(−x/√2),  φ(x) = e^(−x²/2) / √(2π)   (the exact GELU, PyTorch's default)
 *   softmax over the last axis of [rows, cols], per row:
 *            y_j = e^(x_j − m) / Σ_k e^(x_k − m),  m = max_k x_k    dx_j = y_j · (dy_j − Σ_k dy_k · y_k)
 * </pre>
 * They are evaluated in double and rounded once to float. Java has no {@code erf}; {@link #erfc} is the
 * Chebyshev fit of Numerical Recipes (Press et al., 2nd ed., §6.2), whose relative error is below 1.2·10⁻⁷ for
 * every argument: about two float ulps, and relative rather than absolute, so the far negative tail of GELU
 * (where {@code Φ} is tiny) is as accurate as the rest. The element-wise kernels take element ranges
 * {@code [from, to)}; softmax takes row ranges {@code [rowFrom, rowTo)} and sums in double.
 */
public final class Activations {
    /** {@code 1/√2}, which turns {@code erfc} into the normal distribution function. */
    private static final double INV_SQRT2 = 0.7071067811865476;
    /** {@code 1/√(2π)}, the normal density's constant. */
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Activations() {
    }

    /** {@code y[k] = max(x[k], 0)} for {@code k} in {@code [from, to)}; NaN stays NaN, as in {@code torch.relu}. */
    public static void reluForward(float[] x, float[] y, int from, int to) {
        for (int k = from; k < to; k++) {
            y[k] = Math.max(x[k], 0f);
        }
    }

    /**
     * {@code dx[k] = y[k] > 0 ? dy[k] : 0} for {@code k} in {@code [from, to)}, overwriting {@code dx}.
     *
     * <p>Written without a branch: about half of a ReLU's outputs are 0, in no pattern a branch predictor can learn,
     * and the plain {@code y[k] > 0f ? dy[k] : 0f} mispredicted so often that it ran 8× slower than this (3.3 against
     * 0.42 ms for 700,000 floats, the plain CNN's ReLUs at batch 32). The test {@code y > 0} is done on y's bits:
     * {@code y > 0} exactly when they lie in {@code [1, 0x7f800000]} as an int (the positive floats up to +∞; zero
     * is 0, −0 and negative floats are negative ints, NaNs lie above). {@code t = bits − 1} is then in
     * {@code [0, 0x7f7fffff]}, which is when neither {@code t} nor {@code 0x7f7fffff − t} has its sign bit set;
     * {@code mask} is all ones then and 0 otherwise, and keeps dy's bits or none of them (+0).
     */
    public static void reluBackward(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int k = from; k < to; k++) {
            int t = Float.floatToRawIntBits(y[k]) - 1;
            int mask = ~(t | (0x7f7fffff - t)) >> 31;
            dx[k] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[k]) & mask);
        }
    }

    /** {@code y[k] = 1 / (1 + e^(−x[k]))} for {@code k} in {@code [from, to)}, overwriting {@code y}. */
    public static void sigmoidForward(float[] x, float[] y, int from, int to) {
        for (int k = from; k < to; k++) {
            y[k] = (float) (1 / (1 + Math.exp(-x[k])));
        }
    }

    /** {@code dx[k] = dy[k] · y[k] · (1 − y[k])} from the forward's output, for {@code k} in {@code [from, to)}. */
    public static void sigmoidBackward(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int k = from; k < to; k++) {
            dx[k] = dy[k] * (1f - y[k]) * y[k];
        }
    }

    /** {@code y[k] = tanh(x[k])} for {@code k} in {@code [from, to)}, overwriting {@code y}. */
    public static void tanhForward(float[] x, float[] y, int from, int to) {
        for (int k = from; k < to; k++) {
            y[k] = (float) Math.tanh(x[k]);
        }
    }

    /** {@code dx[k] = dy[k] · (1 − y[k]²)} from the forward's output, for {@code k} in {@code [from, to)}. */
    public static void tanhBackward(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int k = from; k < to; k++) {
            dx[k] = dy[k] * (1f - y[k] * y[k]);
        }
    }

    /** The exact GELU {@code y[k] = x[k] · Φ(x[k])} for {@code k} in {@code [from, to)}, overwriting {@code y}. */
    public static void geluForward(float[] x, float[] y, int from, int to) {
        for (int k = from; k < to; k++) {
            double v = x[k];
            y[k] = (float) (v * standardNormalCdf(v));
        }
    }

    /**
     * {@code dx[k] = dy[k] · (Φ(x[k]) + x[k] · φ(x[k]))} from the forward's input, for {@code k} in
     * {@code [from, to)}, overwriting {@code dx}.
     */
    public static void geluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int k = from; k < to; k++) {
            double v = x[k];
            double density = Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
            dx[k] = (float) (dy[k] * (standardNormalCdf(v) + v * density));
        }
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of the softmax of {@code x: [rows, cols]} along its last axis, overwriting
     * them. The row maximum is subtracted first, so no {@code exp} exceeds 1 and large inputs cannot overflow.
     */
    public static void softmaxForward(float[] x, float[] y, int cols, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int row = r * cols;
            float max = x[row];
            for (int c = 1; c < cols; c++) {
                max = Math.max(max, x[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[row + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                y[row + c] = (float) (Math.exp(x[row + c] - max) / sum);
            }
        }
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of {@code dx = y ⊙ (dy − Σ_k dy_k·y_k)} from the forward's output {@code y},
     * overwriting them.
     */
    public static void softmaxBackward(float[] y, float[] dy, float[] dx, int cols, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int row = r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += (double) dy[row + c] * y[row + c];
            }
            float shift = (float) dot;
            for (int c = 0; c < cols; c++) {
                dx[row + c] = y[row + c] * (dy[row + c] - shift);
            }
        }
    }

    /** The standard normal distribution function {@code Φ(x) = ½ erfc(−x/√2)}. */
    static double standardNormalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT2);
    }

    /**
     * The complementary error function {@code erfc(z) = 1 − erf(z)} with relative error below 1.2·10⁻⁷ for all
     * {@code z} (Numerical Recipes' {@code erfcc}: {@code t·exp(−z² + P(t))} with {@code t = 1/(1 + z/2)} and a
     * degree-9 Chebyshev-fitted polynomial {@code P}; negative arguments use {@code erfc(−z) = 2 − erfc(z)}).
     */
    static double erfc(double z) {
        double a = Math.abs(z);
        double t = 1 / (1 + 0.5 * a);
        double r = t * Math.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return z >= 0 ? r : 2 - r;
    }
}
