package org.nnlang.runtime.optim;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, a
 * port of PyTorch 1.13's single-tensor {@code torch.optim.SGD} (no maximize):
 * <pre>
 *   d ← g + wd·θ
 *   with momentum μ:   b ← d                          on the first step
 *                      b ← μ·b + (1 − dampening)·d    afterwards
 *                      d ← d + μ·b   (Nesterov)   or   d ← b
 *   θ ← θ − lr·d
 * </pre>
 * The first step copies {@code d} into the buffer without dampening, exactly as PyTorch's lazily created
 * buffer does. Updates {@code [from, to)} of {@code param} (and the buffer) in place; {@code grad} is only read.
 *
 * <p>Results match PyTorch to a few float ulps, not bit for bit: PyTorch's CPU {@code add(other, alpha)} may
 * fuse {@code a + alpha·b} into one FMA instruction (one rounding), while Java rounds the product and the sum
 * separately. {@code Math.fma} would close the gap but is very slow on CPUs without FMA hardware.
 */
public final class Sgd {
    private Sgd() {
    }

    /**
     * One SGD step on elements {@code [from, to)}.
     *
     * @param momentumBuffer the velocity {@code b}; unused (may be {@code null}) when {@code momentum == 0}
     * @param firstStep      true on the first step, when the buffer holds nothing yet
     */
    public static void update(float[] param, float[] grad, float[] momentumBuffer, int from, int to,
                              boolean firstStep, float lr, float momentum, float dampening, boolean nesterov,
                              float weightDecay) {
        float negLr = -lr;
        // As in PyTorch, weight_decay == 0 skips the add instead of adding 0·θ (which is NaN for θ = ±∞).
        if (momentum == 0f) {
            for (int k = from; k < to; k++) {
                float d = weightDecay == 0f ? grad[k] : grad[k] + weightDecay * param[k];
                param[k] += negLr * d;
            }
            return;
        }
        float oneMinusDampening = (float) (1 - (double) dampening);
        for (int k = from; k < to; k++) {
            float d = weightDecay == 0f ? grad[k] : grad[k] + weightDecay * param[k];
            // A velocity that would be denormal becomes 0 (FlushToZero), as with torch.set_flush_denormal(True).
            float b = FlushToZero.flush(firstStep ? d : momentumBuffer[k] * momentum + oneMinusDampening * d);
            momentumBuffer[k] = b;
            float step = nesterov ? d + momentum * b : b;
            param[k] += negLr * step;
        }
    }
}
