package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.nnlang.runtime.kernels.CnnFixtures.assertMatchesPyTorch;
import static org.nnlang.runtime.kernels.CnnFixtures.floats;
import static org.nnlang.runtime.kernels.CnnFixtures.ints;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;
import static org.nnlang.runtime.kernels.GradCheck.weightedSum;
import static org.nnlang.runtime.kernels.RangeCheck.assertSplitEqualsWhole;

import com.google.gson.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sigmoid, tanh, GELU and softmax in {@link Activations} (relu has {@link ActivationsTest}). */
class SmoothActivationsTest {
    private static final int SIZE = 31;
    private static final int ROWS = 4;
    private static final int COLS = 7;
    private final Random random = new Random(53);

    /** Gaussian values scaled by 3, so the tails where sigmoid and tanh saturate are covered too. */
    private float[] inputs(int size) {
        float[] x = randomArray(random, size);
        for (int k = 0; k < size; k++) {
            x[k] *= 3;
        }
        return x;
    }

    // ---- PyTorch reference values (scripts/reference/cnn_ops.py) ----

    /**
     * Tolerance 1e-6 relative + 1e-7 absolute for {@code y}: these are single float roundings of smooth functions,
     * so both sides agree to about an ulp, and the erfc approximation adds at most 1.2e-7 relative. The gradients
     * allow 5e-7 absolute: where tanh and sigmoid saturate, a one-ulp difference in {@code y} (PyTorch's
     * vectorised tanh rounds tanh(−9) to −1, the correctly rounded float is −0.99999994) becomes a difference of
     * {@code 2·2⁻²⁴·|dy|} in {@code dy·(1 − y²)}.
     */
    @Test
    void matchPyTorch() {
        for (JsonObject c : CnnFixtures.cases("activations")) {
            String name = c.get("name").getAsString();
            float[] x = floats(c, "x");
            float[] dy = floats(c, "dy");
            float[] y = randomArray(random, x.length);
            float[] dx = randomArray(random, x.length);
            int n = x.length;
            switch (name) {
                case "sigmoid" -> {
                    Activations.sigmoidForward(x, y, 0, n);
                    Activations.sigmoidBackward(y, dy, dx, 0, n);
                }
                case "tanh" -> {
                    Activations.tanhForward(x, y, 0, n);
                    Activations.tanhBackward(y, dy, dx, 0, n);
                }
                case "gelu" -> {
                    Activations.geluForward(x, y, 0, n);
                    Activations.geluBackward(x, dy, dx, 0, n);
                }
                case "softmax" -> {
                    int cols = ints(c, "shape")[1];
                    Activations.softmaxForward(x, y, cols, 0, n / cols);
                    Activations.softmaxBackward(y, dy, dx, cols, 0, n / cols);
                }
                default -> throw new AssertionError("no kernel for fixture case " + name);
            }
            assertMatchesPyTorch(c, "y", y, floats(c, "y"), 1e-6, 1e-7);
            assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"), 1e-6, 5e-7);
        }
    }

    // ---- float64 reference and numerical gradients ----

    @Test
    void forwardsMatchFloat64Reference() {
        float[] x = inputs(SIZE);
        float[] y = new float[SIZE];
        Activations.sigmoidForward(x, y, 0, SIZE);
        GradCheck.assertClose("sigmoid.forward", "y", y, CnnReferenceOps.sigmoid(toDouble(x)), 1e-7, 0);
        Activations.tanhForward(x, y, 0, SIZE);
        GradCheck.assertClose("tanh.forward", "y", y, CnnReferenceOps.tanh(toDouble(x)), 1e-7, 0);
        Activations.geluForward(x, y, 0, SIZE);
        GradCheck.assertClose("gelu.forward", "y", y, CnnReferenceOps.gelu(toDouble(x)), 2e-7, 1e-30);
        float[] z = inputs(ROWS * COLS);
        float[] p = new float[ROWS * COLS];
        Activations.softmaxForward(z, p, COLS, 0, ROWS);
        GradCheck.assertClose("softmax.forward", "y", p, CnnReferenceOps.softmax(toDouble(z), ROWS, COLS), 1e-6, 1e-7);
    }

    @Test
    void gradientsMatchNumericalGradients() {
        float[] x = inputs(SIZE);
        float[] r = randomArray(random, SIZE);
        float[] y = new float[SIZE];
        float[] dx = new float[SIZE];
        Activations.sigmoidForward(x, y, 0, SIZE);
        Activations.sigmoidBackward(y, r, dx, 0, SIZE);
        GradCheck.check("sigmoid", "x", x, xd -> weightedSum(r, CnnReferenceOps.sigmoid(xd)), dx);
        Activations.tanhForward(x, y, 0, SIZE);
        Activations.tanhBackward(y, r, dx, 0, SIZE);
        GradCheck.check("tanh", "x", x, xd -> weightedSum(r, CnnReferenceOps.tanh(xd)), dx);
        Activations.geluBackward(x, r, dx, 0, SIZE);
        GradCheck.check("gelu", "x", x, xd -> weightedSum(r, CnnReferenceOps.gelu(xd)), dx);

        float[] z = inputs(ROWS * COLS);
        float[] rz = randomArray(random, ROWS * COLS);
        float[] p = new float[ROWS * COLS];
        float[] dz = new float[ROWS * COLS];
        Activations.softmaxForward(z, p, COLS, 0, ROWS);
        Activations.softmaxBackward(p, rz, dz, COLS, 0, ROWS);
        GradCheck.check("softmax", "x", z, zd -> weightedSum(rz, CnnReferenceOps.softmax(zd, ROWS, COLS)), dz);
    }

    /**
     * The Chebyshev erfc against the float64 series: relative error below 1.2e-7 everywhere, including the tail
     * where erfc is tiny (what makes GELU accurate for very negative inputs).
     */
    @Test
    void erfcIsAccurateToItsStatedRelativeError() {
        double worst = 0;
        for (double z = -6; z <= 9; z += 1.0 / 64) {
            double exact = CnnReferenceOps.erfc(z);
            worst = Math.max(worst, Math.abs(Activations.erfc(z) - exact) / exact);
        }
        assertThat(worst).isLessThan(1.2e-7);
        assertThat(CnnReferenceOps.erf(0.5)).isCloseTo(0.5204998778130465, offset(1e-15));
        assertThat(CnnReferenceOps.erfc(3)).isCloseTo(2.209049699858544e-05, offset(1e-18));
    }

    @Test
    void softmaxIsStableForHugeInputs() {
        float[] z = {1000f, -1000f, 999f, 1000f};
        float[] p = new float[4];
        Activations.softmaxForward(z, p, 4, 0, 1);
        double e = Math.exp(-1);
        assertThat(p[0]).isCloseTo((float) (1 / (2 + e)), offset(1e-7f));
        assertThat(p[1]).isZero();
        assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1f, offset(1e-6f));
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        float[] x = inputs(SIZE);
        float[] dy = randomArray(random, SIZE);
        float[] y = new float[SIZE];
        Activations.sigmoidForward(x, y, 0, SIZE);
        for (int k = 0; k <= SIZE; k++) {
            assertSplitEqualsWhole("sigmoidForward", SIZE, 1, k,
                    (out, from, to) -> Activations.sigmoidForward(x, out, from, to));
            assertSplitEqualsWhole("sigmoidBackward", SIZE, 1, k,
                    (out, from, to) -> Activations.sigmoidBackward(y, dy, out, from, to));
            assertSplitEqualsWhole("tanhForward", SIZE, 1, k,
                    (out, from, to) -> Activations.tanhForward(x, out, from, to));
            assertSplitEqualsWhole("tanhBackward", SIZE, 1, k,
                    (out, from, to) -> Activations.tanhBackward(y, dy, out, from, to));
            assertSplitEqualsWhole("geluForward", SIZE, 1, k,
                    (out, from, to) -> Activations.geluForward(x, out, from, to));
            assertSplitEqualsWhole("geluBackward", SIZE, 1, k,
                    (out, from, to) -> Activations.geluBackward(x, dy, out, from, to));
        }
        float[] z = inputs(ROWS * COLS);
        float[] dz = randomArray(random, ROWS * COLS);
        float[] p = new float[ROWS * COLS];
        Activations.softmaxForward(z, p, COLS, 0, ROWS);
        for (int k = 0; k <= ROWS; k++) {
            assertSplitEqualsWhole("softmaxForward", ROWS * COLS, COLS, k,
                    (out, from, to) -> Activations.softmaxForward(z, out, COLS, from, to));
            assertSplitEqualsWhole("softmaxBackward", ROWS * COLS, COLS, k,
                    (out, from, to) -> Activations.softmaxBackward(p, dz, out, COLS, from, to));
        }
    }
}
