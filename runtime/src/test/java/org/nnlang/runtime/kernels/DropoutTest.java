package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.nnlang.runtime.kernels.CnnFixtures.assertMatchesPyTorch;
import static org.nnlang.runtime.kernels.CnnFixtures.floats;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.RangeCheck.assertSplitEqualsWhole;

import com.google.gson.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.tensor.Rng;

class DropoutTest {
    private final Random random = new Random(41);

    /**
     * PyTorch's mask comes from its own generator, so the fixture pins down what does not depend on it: p = 0 is
     * the identity, p = 1 gives zeros, and every kept element is scaled by exactly 1/(1 − p) in both directions.
     * The mask is read back from PyTorch's output (kept where y ≠ 0; Gaussian x is never 0).
     */
    @Test
    void scalingMatchesPyTorch() {
        for (JsonObject c : CnnFixtures.cases("dropout")) {
            float p = c.get("p").getAsFloat();
            float[] x = floats(c, "x");
            float[] pytorchY = floats(c, "y");
            float[] mask = new float[x.length];
            for (int k = 0; k < x.length; k++) {
                mask[k] = pytorchY[k] != 0f ? 1f : 0f;
            }
            float[] y = randomArray(random, x.length);
            Dropout.forward(x, mask, y, p, 0, x.length);
            assertMatchesPyTorch(c, "y", y, pytorchY, 1e-6, 0);
            float[] dx = randomArray(random, x.length);
            Dropout.backward(floats(c, "dy"), mask, dx, p, 0, x.length);
            assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"), 1e-6, 0);
        }
    }

    @Test
    void edgeProbabilitiesKeepEverythingOrNothing() {
        float[] x = randomArray(random, 50);
        float[] mask = new float[50];
        float[] y = new float[50];
        Dropout.drawMask(new Rng(1), mask, 0f, 0, 50);
        Dropout.forward(x, mask, y, 0f, 0, 50);
        assertThat(y).as("p = 0 is the identity, bit for bit").containsExactly(x);
        Dropout.drawMask(new Rng(1), mask, 1f, 0, 50);
        Dropout.forward(x, mask, y, 1f, 0, 50);
        for (float v : y) {
            assertThat(Math.abs(v)).as("p = 1 gives zeros").isZero();
        }
        Dropout.backward(x, mask, y, 1f, 0, 50);
        for (float v : y) {
            assertThat(Math.abs(v)).as("p = 1 passes no gradient").isZero();
        }
    }

    /** The kept fraction and the mean of y estimate 1 − p and the mean of x (the point of the 1/(1 − p) scale). */
    @Test
    void maskKeepsAFractionOneMinusPAndPreservesTheMean() {
        int size = 200_000;
        float p = 0.3f;
        float[] mask = new float[size];
        Dropout.drawMask(new Rng(2024), mask, p, 0, size);
        double kept = 0;
        for (float m : mask) {
            assertThat(m == 0f || m == 1f).as("mask entries are 0 or 1").isTrue();
            kept += m;
        }
        // Binomial standard deviation √(size·p·(1 − p)) ≈ 205 kept elements: allow 5 of them.
        assertThat(kept / size).isCloseTo(1 - p, offset(5 * Math.sqrt(p * (1 - p) / size)));
        float[] ones = new float[size];
        java.util.Arrays.fill(ones, 1f);
        float[] y = new float[size];
        Dropout.forward(ones, mask, y, p, 0, size);
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= size;
        double sd = Math.sqrt(p / (1 - p) / size);
        assertThat(mean).as("E[y] = x for x = 1").isCloseTo(1, offset(5 * sd));
        // Neighbouring draws are independent: the two-element pattern (kept, kept) has probability (1 − p)².
        double pairs = 0;
        for (int k = 0; k + 1 < size; k += 2) {
            pairs += mask[k] * mask[k + 1];
        }
        double q = (1 - p) * (1 - p);
        assertThat(pairs / (size / 2)).isCloseTo(q, offset(5 * Math.sqrt(q * (1 - q) / (size / 2))));
    }

    /** The backward must drop exactly the elements the forward dropped, and scale the rest the same way. */
    @Test
    void backwardUsesTheForwardsMask() {
        int size = 1000;
        float p = 0.4f;
        float[] x = randomArray(random, size);
        float[] dy = randomArray(random, size);
        float[] mask = new float[size];
        Dropout.drawMask(new Rng(7), mask, p, 0, size);
        float[] y = new float[size];
        float[] dx = new float[size];
        Dropout.forward(x, mask, y, p, 0, size);
        Dropout.backward(dy, mask, dx, p, 0, size);
        float scale = Dropout.scale(p);
        for (int k = 0; k < size; k++) {
            assertThat(y[k] == 0f).as("element %d dropped in the forward iff in the backward", k)
                    .isEqualTo(dx[k] == 0f);
            assertThat(dx[k]).isEqualTo(mask[k] == 0f ? 0f : dy[k] * scale);
            assertThat(y[k]).isEqualTo(mask[k] == 0f ? 0f : x[k] * scale);
        }
    }

    @Test
    void theSameSeedDrawsTheSameMaskAndDrawingInPiecesEqualsDrawingAtOnce() {
        float[] once = new float[100];
        Dropout.drawMask(new Rng(99), once, 0.5f, 0, 100);
        float[] pieces = new float[100];
        Rng rng = new Rng(99);
        Dropout.drawMask(rng, pieces, 0.5f, 0, 37);
        Dropout.drawMask(rng, pieces, 0.5f, 37, 100);
        assertThat(pieces).containsExactly(once);
    }

    @Test
    void rejectsProbabilitiesOutsideZeroToOne() {
        assertThatThrownBy(() -> Dropout.scale(1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Dropout.drawMask(new Rng(1), new float[1], Float.NaN, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        int size = 29;
        float[] x = randomArray(random, size);
        float[] mask = new float[size];
        Dropout.drawMask(new Rng(5), mask, 0.5f, 0, size);
        for (int k = 0; k <= size; k++) {
            assertSplitEqualsWhole("forward", size, 1, k, (y, from, to) -> Dropout.forward(x, mask, y, 0.5f, from, to));
            assertSplitEqualsWhole("backward", size, 1, k,
                    (dx, from, to) -> Dropout.backward(x, mask, dx, 0.5f, from, to));
        }
    }
}
