package org.nnlang.runtime.kernels;

/**
 * Float64 reference forwards, written as directly from the math as possible: the "living definition" the
 * float32 kernels are checked against, and the functions the numerical gradient checks differentiate.
 */
final class ReferenceOps {
    private ReferenceOps() {
    }

    /** {@code y[r,o] = b[o] + Σ_i x[r,i]·w[o,i]} with {@code w} in PyTorch's {@code [out, in]} layout. */
    static double[] linear(double[] x, double[] w, double[] b, int n, int in, int out) {
        double[] y = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }

    static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            y[k] = Math.max(x[k], 0);
        }
        return y;
    }

    /** Softmax of each row, by the textbook formula (no max shift: the test inputs are small). */
    static double[] softmax(double[] z, int n, int classes) {
        double[] p = new double[n * classes];
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[r * classes + c]);
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = Math.exp(z[r * classes + c]) / sum;
            }
        }
        return p;
    }

    /** {@code (1/n) Σ_r −log softmax(z_r)[t_r]}. */
    static double softmaxCrossEntropy(double[] z, float[] labels, int n, int classes) {
        double[] p = softmax(z, n, classes);
        double total = 0;
        for (int r = 0; r < n; r++) {
            total -= Math.log(p[r * classes + (int) labels[r]]);
        }
        return total / n;
    }

    static double mse(double[] pred, double[] target) {
        double total = 0;
        for (int k = 0; k < pred.length; k++) {
            total += (pred[k] - target[k]) * (pred[k] - target[k]);
        }
        return total / pred.length;
    }

    /** Index of the first maximal entry of row {@code r}. */
    static int argmax(float[] z, int r, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (z[r * classes + c] > z[r * classes + best]) {
                best = c;
            }
        }
        return best;
    }
}
