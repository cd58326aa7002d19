package org.nnlang.runtime.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlushToZeroTest {
    @Test
    void everyDenormalOfEitherSignBecomesZero() {
        for (int bits = 1; bits < 0x00800000; bits++) {
            float x = Float.intBitsToFloat(bits);
            assertThat(FlushToZero.flush(x)).as("%s", x).isZero();
            assertThat(FlushToZero.flush(-x)).as("%s", -x).isZero();
        }
    }

    @Test
    void valuesFromTwoToTheMinus76UpPassUnchanged() {
        for (int bits = Float.floatToRawIntBits(0x1p-76f); bits <= 0x7f800000; bits += 97) {
            float x = Float.intBitsToFloat(bits);
            assertThat(FlushToZero.flush(x)).isEqualTo(x);
            assertThat(FlushToZero.flush(-x)).isEqualTo(-x);
        }
        assertThat(FlushToZero.flush(Float.POSITIVE_INFINITY)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FlushToZero.flush(Float.NEGATIVE_INFINITY)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(FlushToZero.flush(Float.NaN)).isNaN();
        assertThat(FlushToZero.flush(0f)).isZero();
    }

    @Test
    void valuesInBetweenStayNormalAndClose() {
        for (int bits = Float.floatToRawIntBits(Float.MIN_NORMAL); bits < Float.floatToRawIntBits(0x1p-76f);
             bits += 101) {
            float x = Float.intBitsToFloat(bits);
            float flushed = FlushToZero.flush(x);
            assertThat(flushed == 0f || Math.abs(flushed) >= Float.MIN_NORMAL).as("%s gave %s", x, flushed).isTrue();
            assertThat(Math.abs((double) flushed - x)).as("%s", x).isLessThanOrEqualTo(2e-31);
        }
    }

    @Test
    void adamMomentsOfAWeightWithoutGradientNeverTurnDenormal() {
        // A gradient once, then never again: m decays by 0.9 a step. Without flushing, 0.9 · 2^-149 rounds back to
        // 2^-149 and m stays denormal for good. With it, m comes to rest on one of the smallest multiples of 2^-125
        // (0.9·k rounds back to k for k ≤ 5): a normal float, on which arithmetic is fast.
        float[] param = {1f};
        float[] grad = {1e-3f};
        float[] m = {0f};
        float[] v = {0f};
        Adam.update(param, grad, m, v, 0, 1, 1, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
        grad[0] = 0f;
        for (int step = 2; step <= 2000; step++) {
            Adam.update(param, grad, m, v, 0, 1, step, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false);
            assertThat(m[0] == 0f || m[0] >= Float.MIN_NORMAL).as("m at step %d: %s", step, m[0]).isTrue();
        }
        assertThat(m[0]).isGreaterThanOrEqualTo(0f).isLessThanOrEqualTo(0x1p-122f);
    }

    @Test
    void sgdVelocityOfAWeightWithoutGradientNeverTurnsDenormal() {
        float[] param = {1f};
        float[] grad = {-1e-3f};
        float[] velocity = {0f};
        Sgd.update(param, grad, velocity, 0, 1, true, 0.1f, 0.9f, 0f, false, 0f);
        grad[0] = 0f;
        for (int step = 2; step <= 2000; step++) {
            Sgd.update(param, grad, velocity, 0, 1, false, 0.1f, 0.9f, 0f, false, 0f);
            assertThat(velocity[0] == 0f || -velocity[0] >= Float.MIN_NORMAL).as("b at step %d", step).isTrue();
        }
        assertThat(velocity[0]).isLessThanOrEqualTo(0f).isGreaterThanOrEqualTo(-0x1p-122f);
    }
}
