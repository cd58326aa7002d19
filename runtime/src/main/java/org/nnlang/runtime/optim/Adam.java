package org.nnlang.runtime.optim;

/**
 * Adam and AdamW, a float-for-float port of PyTorch 1.13's single-tensor {@code torch.optim.Adam} /
 * {@code torch.optim.AdamW} (no amsgrad, no maximize). For step {@code t} (1-based) with gradient {@code g}:
 * <pre>
 *   AdamW only:  θ ← θ · (1 − lr·wd)                         decoupled weight decay
 *   Adam only:   g ← g + wd·θ                                L2 penalty folded into the gradient
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   θ ← θ − (lr / (1 − β1ᵗ)) · m / ( √v / √(1 − β2ᵗ) + ε )
 * </pre>
 * The bias corrections and the step size are computed in double, as PyTorch does in Python floats; the
 * element-wise work is float in PyTorch's order of operations, so results agree to rounding. (PyTorch keeps
 * its hyperparameters as doubles; here they arrive as floats, e.g. {@code 0.9f}, which is the one source of
 * difference beyond rounding — far below 1e-6 relative.)
 *
 * <p>The moments are kept out of the denormal range ({@link FlushToZero}), as PyTorch keeps them with
 * {@code torch.set_flush_denormal(True)}; without it they differ from these only below 1.3·10⁻²³.
 *
 * <p>Updates the range {@code [from, to)} of {@code param}, {@code m} and {@code v} in place; {@code grad} is
 * only read, because the L2 term belongs to this update and not to the gradient buffer another step may read.
 */
public final class Adam {
    private Adam() {
    }

    /**
     * One Adam step on elements {@code [from, to)}.
     *
     * @param m                    first-moment state, zero before step 1
     * @param v                    second-moment state, zero before step 1
     * @param step                 1-based count of this step (PyTorch's {@code state['step']} after its increment)
     * @param decoupledWeightDecay true for AdamW, false for Adam's L2 penalty
     */
    public static void update(float[] param, float[] grad, float[] m, float[] v, int from, int to, int step,
                              float lr, float beta1, float beta2, float eps, float weightDecay,
                              boolean decoupledWeightDecay) {
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        float negStepSize = (float) -(lr / biasCorrection1);
        float biasCorrection2Sqrt = (float) Math.sqrt(biasCorrection2);
        float oneMinusBeta1 = (float) (1 - (double) beta1);
        float oneMinusBeta2 = (float) (1 - (double) beta2);
        float l2 = decoupledWeightDecay ? 0f : weightDecay;
        float decay = (float) (1 - (double) lr * weightDecay);
        if (decoupledWeightDecay && weightDecay != 0f) {
            for (int k = from; k < to; k++) {
                param[k] *= decay;
            }
        }
        for (int k = from; k < to; k++) {
            // PyTorch skips the add when weight_decay == 0; so do we (0·∞ would otherwise turn g into NaN).
            float g = l2 == 0f ? grad[k] : grad[k] + l2 * param[k];
            // Moments that would be denormal become 0: FlushToZero says why.
            m[k] = FlushToZero.flush(m[k] * beta1 + oneMinusBeta1 * g);
            v[k] = FlushToZero.flush(v[k] * beta2 + oneMinusBeta2 * g * g);
            float denom = (float) Math.sqrt(v[k]) / biasCorrection2Sqrt + eps;
            param[k] += negStepSize * m[k] / denom;
        }
    }
}
