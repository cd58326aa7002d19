package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;
import static org.nnlang.runtime.kernels.GradCheck.weightedSum;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    private static final int SIZE = 23;
    private final Random random = new Random(7);

    /** Random inputs kept away from the kink at 0, where a central difference would straddle it. */
    private float[] inputsAwayFromZero() {
        float[] x = randomArray(random, SIZE);
        for (int k = 0; k < SIZE; k++) {
            if (Math.abs(x[k]) < 0.01f) {
                x[k] += Math.copySign(0.05f, x[k]);
            }
        }
        return x;
    }

    @Test
    void reluForwardMatchesFloat64Reference() {
        float[] x = inputsAwayFromZero();
        float[] y = randomArray(random, SIZE);
        Activations.reluForward(x, y, 0, SIZE);
        GradCheck.assertClose("relu.forward", "y", y, ReferenceOps.relu(toDouble(x)), 0, 0);
    }

    @Test
    void reluGradientMatchesNumericalGradient() {
        float[] x = inputsAwayFromZero();
        float[] r = randomArray(random, SIZE);
        float[] y = new float[SIZE];
        Activations.reluForward(x, y, 0, SIZE);
        float[] dx = randomArray(random, SIZE);
        Activations.reluBackward(y, r, dx, 0, SIZE);
        GradCheck.check("relu", "x", x, xd -> weightedSum(r, ReferenceOps.relu(xd)), dx);
    }

    @Test
    void reluFollowsPyTorchAtZeroAndNaN() {
        float[] x = {0f, -0f, Float.NaN, -1f, 2f};
        float[] y = new float[5];
        Activations.reluForward(x, y, 0, 5);
        assertThat(y).containsExactly(0f, 0f, Float.NaN, 0f, 2f);
        float[] dx = new float[5];
        Activations.reluBackward(y, new float[] {3f, 3f, 3f, 3f, 3f}, dx, 0, 5);
        // threshold_backward passes the gradient only where y > 0: not at 0, not at NaN.
        assertThat(dx).containsExactly(0f, 0f, 0f, 0f, 3f);
    }

    @Test
    void reluBackwardKeepsExactlyTheGradientsWhereYIsPositive() {
        // The branch-free test on y's bits, against the plain comparison, bit for bit: the float edges on both sides
        // of "y > 0", NaNs of both signs, and gradients that are -0 or NaN themselves.
        float[] y = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000),
            Float.intBitsToFloat(0x7f800001), -1f, 2f, 3f};
        float[] dy = {5f, 5f, -0f, 5f, Float.NaN, -0f, -7f, 1e-40f, 5f, 5f, 5f, 5f, 5f, Float.NaN, -0f};
        float[] dx = new float[y.length];
        Activations.reluBackward(y, dy, dx, 0, y.length);
        for (int k = 0; k < y.length; k++) {
            float expected = y[k] > 0f ? dy[k] : 0f;
            assertThat(Float.floatToRawIntBits(dx[k])).as("y = %s, dy = %s", y[k], dy[k])
                    .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        float[] x = randomArray(random, SIZE);
        float[] dy = randomArray(random, SIZE);
        float[] y = new float[SIZE];
        Activations.reluForward(x, y, 0, SIZE);
        for (int k = 0; k <= SIZE; k++) {
            RangeCheck.assertSplitEqualsWhole("reluForward", SIZE, 1, k,
                    (out, from, to) -> Activations.reluForward(x, out, from, to));
            RangeCheck.assertSplitEqualsWhole("reluBackward", SIZE, 1, k,
                    (out, from, to) -> Activations.reluBackward(y, dy, out, from, to));
        }
    }
}
