package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;
import static org.nnlang.runtime.kernels.GradCheck.weightedSum;
import static org.nnlang.runtime.kernels.RangeCheck.assertSplitEqualsWhole;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearTest {
    // Distinct, non-square sizes so that swapping in/out or n/in shows up as an index error.
    private static final int N = 5;
    private static final int IN = 7;
    private static final int OUT = 3;

    private final Random random = new Random(42);
    private final float[] x = randomArray(random, N * IN);
    private final float[] w = randomArray(random, OUT * IN);
    private final float[] b = randomArray(random, OUT);
    /** Random upstream gradient dL/dy, so L = Σ r ⊙ y. */
    private final float[] r = randomArray(random, N * OUT);

    @Test
    void forwardMatchesFloat64Reference() {
        double[] expected = ReferenceOps.linear(toDouble(x), toDouble(w), toDouble(b), N, IN, OUT);
        float[] y = randomArray(random, N * OUT);
        Linear.forward(x, w, b, y, IN, OUT, 0, N);
        GradCheck.assertClose("linear.forward", "y", y, expected, 1e-5, 1e-5);
    }

    @Test
    void forwardWithoutBiasMatchesFloat64Reference() {
        double[] expected = ReferenceOps.linear(toDouble(x), toDouble(w), null, N, IN, OUT);
        float[] y = randomArray(random, N * OUT);
        Linear.forward(x, w, null, y, IN, OUT, 0, N);
        GradCheck.assertClose("linear.forward (no bias)", "y", y, expected, 1e-5, 1e-5);
        float[] wT = new float[IN * OUT];
        Linear.transposeWeight(w, wT, IN, OUT);
        Linear.forwardTransposed(x, wT, null, y, IN, OUT, 0, N);
        GradCheck.assertClose("linear.forwardTransposed (no bias)", "y", y, expected, 1e-5, 1e-5);
    }

    @Test
    void transposedForwardMatchesFloat64Reference() {
        float[] wT = new float[IN * OUT];
        Linear.transposeWeight(w, wT, IN, OUT);
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) {
                assertThat(wT[i * OUT + o]).as("wT[%d,%d]", i, o).isEqualTo(w[o * IN + i]);
            }
        }
        double[] expected = ReferenceOps.linear(toDouble(x), toDouble(w), toDouble(b), N, IN, OUT);
        float[] y = randomArray(random, N * OUT);
        Linear.forwardTransposed(x, wT, b, y, IN, OUT, 0, N);
        GradCheck.assertClose("linear.forwardTransposed", "y", y, expected, 1e-5, 1e-5);
    }

    @Test
    void inputGradientMatchesNumericalGradient() {
        float[] dx = randomArray(random, N * IN);
        Linear.backwardInput(r, w, dx, IN, OUT, 0, N);
        GradCheck.check("linear", "x", x,
                xd -> weightedSum(r, ReferenceOps.linear(xd, toDouble(w), toDouble(b), N, IN, OUT)), dx);
    }

    @Test
    void weightGradientMatchesNumericalGradient() {
        float[] dw = randomArray(random, OUT * IN);
        Linear.backwardWeight(r, x, dw, N, IN, OUT, 0, OUT);
        GradCheck.check("linear", "w", w,
                wd -> weightedSum(r, ReferenceOps.linear(toDouble(x), wd, toDouble(b), N, IN, OUT)), dw);
    }

    @Test
    void biasGradientMatchesNumericalGradient() {
        float[] db = randomArray(random, OUT);
        Linear.backwardBias(r, db, N, OUT, 0, OUT);
        GradCheck.check("linear", "b", b,
                bd -> weightedSum(r, ReferenceOps.linear(toDouble(x), toDouble(w), bd, N, IN, OUT)), db);
    }

    /** The executor may run one kernel on [0,k) and [k,end) from two threads; see {@link RangeCheck}. */
    @Test
    void splittingRangesGivesTheSameResult() {
        float[] wT = new float[IN * OUT];
        Linear.transposeWeight(w, wT, IN, OUT);
        for (int k = 0; k <= N; k++) {
            assertSplitEqualsWhole("forward", N * OUT, OUT, k,
                    (y, from, to) -> Linear.forward(x, w, b, y, IN, OUT, from, to));
            assertSplitEqualsWhole("forwardTransposed", N * OUT, OUT, k,
                    (y, from, to) -> Linear.forwardTransposed(x, wT, b, y, IN, OUT, from, to));
            assertSplitEqualsWhole("backwardInput", N * IN, IN, k,
                    (dx, from, to) -> Linear.backwardInput(r, w, dx, IN, OUT, from, to));
        }
        for (int k = 0; k <= OUT; k++) {
            assertSplitEqualsWhole("backwardWeight", OUT * IN, IN, k,
                    (dw, from, to) -> Linear.backwardWeight(r, x, dw, N, IN, OUT, from, to));
            assertSplitEqualsWhole("backwardBias", OUT, 1, k,
                    (db, from, to) -> Linear.backwardBias(r, db, N, OUT, from, to));
        }
    }
}
