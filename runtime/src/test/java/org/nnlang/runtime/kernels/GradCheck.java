package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Numerical gradient checking in the spirit of MiniTorch's {@code grad_check}: nudge one input entry by
 * ±h, re-run the float64 reference forward, and compare (L(x+h) − L(x−h)) / 2h with what the float32 backward
 * kernel computed. A failure names the op, the input, the index and both numbers, because "gradients are
 * wrong" alone teaches nothing.
 */
final class GradCheck {
    static final double H = 1e-6;
    static final double RELATIVE = 1e-3;
    static final double ABSOLUTE = 1e-5;

    private GradCheck() {
    }

    /** Gaussian entries: never constant, so a swapped index or a wrong stride changes the result. */
    static float[] randomArray(Random random, int size) {
        float[] a = new float[size];
        for (int k = 0; k < size; k++) {
            a[k] = (float) random.nextGaussian();
        }
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            d[k] = a[k];
        }
        return d;
    }

    /** {@code Σ_k r[k]·y[k]}: a scalar loss whose gradient with respect to {@code y} is the random {@code r}. */
    static double weightedSum(float[] r, double[] y) {
        double sum = 0;
        for (int k = 0; k < y.length; k++) {
            sum += r[k] * y[k];
        }
        return sum;
    }

    /**
     * Checks {@code analytic} against central differences of {@code loss} around {@code at}.
     *
     * @param op    the op under test, e.g. {@code "linear"}
     * @param input which input the gradient is for, e.g. {@code "w"}
     * @param loss  the scalar loss as a float64 function of that input (the other inputs fixed)
     */
    static void check(String op, String input, float[] at, ToDoubleFunction<double[]> loss, float[] analytic) {
        if (analytic.length != at.length) {
            fail("%s: gradient for %s has %d entries but %s has %d", op, input, analytic.length, input, at.length);
        }
        double[] x = toDouble(at);
        for (int k = 0; k < x.length; k++) {
            double saved = x[k];
            x[k] = saved + H;
            double plus = loss.applyAsDouble(x);
            x[k] = saved - H;
            double minus = loss.applyAsDouble(x);
            x[k] = saved;
            double numeric = (plus - minus) / (2 * H);
            double error = Math.abs(analytic[k] - numeric);
            if (error > ABSOLUTE + RELATIVE * Math.max(Math.abs(analytic[k]), Math.abs(numeric))) {
                fail("%s: gradient of the loss with respect to %s[%d] is wrong.%n"
                                + "  analytic (float32 backward kernel) = %.8g%n"
                                + "  numeric  (float64 central difference, h = %.0e) = %.8g%n"
                                + "  at %s[%d] = %.8g. If the two differ by a constant factor, look for a missing "
                                + "scale (1/n?); if only some indices fail, look for an index or stride bug.",
                        op, input, k, analytic[k], H, numeric, input, k, at[k]);
            }
        }
    }

    /** Checks a float32 forward output against the float64 reference, entry by entry. */
    static void assertClose(String op, String output, float[] actual, double[] expected, double relative,
                            double absolute) {
        if (actual.length < expected.length) {
            fail("%s: %s has %d entries, expected %d", op, output, actual.length, expected.length);
        }
        for (int k = 0; k < expected.length; k++) {
            double error = Math.abs(actual[k] - expected[k]);
            if (!(error <= absolute + relative * Math.abs(expected[k]))) {
                fail("%s: %s[%d] = %.8g (float32 kernel) but the float64 reference gives %.8g",
                        op, output, k, actual[k], expected[k]);
            }
        }
    }
}
