package org.nnlang.runtime.kernels;

/**
 * Loss functions with PyTorch semantics and {@code reduction = 'mean'}, plus the accuracy count.
 *
 * <p>Softmax cross-entropy over {@code n} rows of {@code classes} logits {@code z}, with integer labels
 * {@code t} stored as floats:
 * <pre>
 *   p[r,c] = exp(z[r,c] − m_r) / Σ_k exp(z[r,k] − m_r)          m_r = max_k z[r,k]
 *   L      = (1/n) Σ_r ( log Σ_k exp(z[r,k] − m_r) − (z[r,t_r] − m_r) )
 *   ∂L/∂z[r,c] = (p[r,c] − [c = t_r]) / n
 * </pre>
 * Subtracting the row maximum changes nothing mathematically but keeps every {@code exp} at most 1, so large
 * logits cannot overflow; the sums run in double. The forward keeps {@code p} for the backward, which is then a
 * subtraction instead of a second softmax.
 *
 * <p>Mean squared error over {@code count} elements:
 * <pre>
 *   L = (1/count) Σ_k (pred[k] − target[k])²        ∂L/∂pred[k] = 2 (pred[k] − target[k]) / count
 * </pre>
 *
 * <p>The forwards reduce to one number and so take the whole batch; the backwards take ranges (rows for
 * cross-entropy, elements for MSE) and overwrite them. Nothing allocates except the exception for a bad label.
 */
public final class Losses {
    private Losses() {
    }

    /**
     * Mean softmax cross-entropy of {@code logits} ({@code [n, classes]}) against {@code labels} ({@code [n]},
     * class indices as floats); writes the softmax probabilities into {@code probs} ({@code [n, classes]}).
     *
     * @throws IllegalArgumentException if a label is not an integer in {@code [0, classes)}
     */
    public static float softmaxCrossEntropyForward(float[] logits, float[] labels, float[] probs, int n, int classes) {
        double total = 0;
        for (int r = 0; r < n; r++) {
            int row = r * classes;
            int label = checkedLabel(labels, r, classes);
            float max = logits[row];
            for (int c = 1; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(logits[row + c] - max);
                probs[row + c] = (float) e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                probs[row + c] = (float) (probs[row + c] / sum);
            }
            total += Math.log(sum) - (logits[row + label] - max);
        }
        return (float) (total / n);
    }

    /** Rows {@code [rowFrom, rowTo)} of {@code dlogits = (probs − onehot(labels)) / n}, overwriting them. */
    public static void softmaxCrossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int classes,
                                                   int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int row = r * classes;
            for (int c = 0; c < classes; c++) {
                dlogits[row + c] = probs[row + c] / n;
            }
            // The one-hot term touches a single entry, so it is patched after the vectorizable loop.
            int label = checkedLabel(labels, r, classes);
            dlogits[row + label] = (probs[row + label] - 1f) / n;
        }
    }

    /** Mean of {@code (pred − target)²} over the first {@code count} elements, summed in double. */
    public static float mseForward(float[] pred, float[] target, int count) {
        double sum = 0;
        for (int k = 0; k < count; k++) {
            float d = pred[k] - target[k];
            sum += (double) d * d;
        }
        return (float) (sum / count);
    }

    /** Elements {@code [from, to)} of {@code dpred = 2 (pred − target) / count}, overwriting them. */
    public static void mseBackward(float[] pred, float[] target, float[] dpred, int count, int from, int to) {
        // PyTorch scales by one factor 2/count (computed in double, applied in float); doing the same keeps the
        // gradients bit-identical rather than merely close.
        float scale = (float) (2.0 / count);
        for (int k = from; k < to; k++) {
            dpred[k] = (pred[k] - target[k]) * scale;
        }
    }

    /**
     * Number of rows whose argmax equals the label. Ties go to the first maximal index and a NaN counts as the
     * maximum, as in {@code torch.argmax}.
     */
    public static int countCorrect(float[] logits, float[] labels, int n, int classes) {
        int correct = 0;
        for (int r = 0; r < n; r++) {
            int row = r * classes;
            float best = logits[row];
            int bestIndex = 0;
            for (int c = 1; c < classes; c++) {
                float v = logits[row + c];
                if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                    best = v;
                    bestIndex = c;
                }
            }
            if (bestIndex == labels[r]) {
                correct++;
            }
        }
        return correct;
    }

    private static int checkedLabel(float[] labels, int row, int classes) {
        float value = labels[row];
        int label = (int) value;
        if (label != value || label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + value + " of row " + row
                    + " is not a class index in [0, " + classes + ")");
        }
        return label;
    }
}
