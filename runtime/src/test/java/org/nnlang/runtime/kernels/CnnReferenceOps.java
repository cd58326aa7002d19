package org.nnlang.runtime.kernels;

/**
 * Float64 reference forwards of the convolutional-network ops, written straight from the definitions (gather
 * form, an explicit bounds test per tap, nothing hoisted), so they share no index arithmetic with the kernels.
 * They are what the numerical gradient checks differentiate. All tensors are flat, row-major, NCHW.
 */
final class CnnReferenceOps {
    private CnnReferenceOps() {
    }

    /** {@code y[s,o,oh,ow] = b[o] + Σ_{c,kh,kw} w[o,c,kh,kw]·x[s, group(o)·C/G + c, oh·sH − pH + kh·dH, ...]}. */
    static double[] conv2d(double[] x, double[] w, double[] b, int n, Conv2d.Geometry g) {
        int inPerGroup = g.inChannels() / g.groups();
        int outPerGroup = g.outChannels() / g.groups();
        int outH = g.outHeight();
        int outW = g.outWidth();
        double[] y = new double[n * g.outChannels() * outH * outW];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int group = o / outPerGroup;
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        double sum = b == null ? 0 : b[o];
                        for (int c = 0; c < inPerGroup; c++) {
                            int channel = group * inPerGroup + c;
                            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                                    int ih = oh * g.strideHeight() - g.padHeight() + kh * g.dilationHeight();
                                    int iw = ow * g.strideWidth() - g.padWidth() + kw * g.dilationWidth();
                                    if (ih < 0 || ih >= g.inHeight() || iw < 0 || iw >= g.inWidth()) {
                                        continue;
                                    }
                                    double wv = w[((o * inPerGroup + c) * g.kernelHeight() + kh) * g.kernelWidth()
                                            + kw];
                                    sum += wv * x[((s * g.inChannels() + channel) * g.inHeight() + ih)
                                            * g.inWidth() + iw];
                                }
                            }
                        }
                        y[((s * g.outChannels() + o) * outH + oh) * outW + ow] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** Max over each window, padding excluded (it is −∞). */
    static double[] maxPool2d(double[] x, int n, Pooling.Geometry g) {
        return pool2d(x, n, g, true);
    }

    /** Sum over each window divided by {@code KH·KW} (count_include_pad). */
    static double[] avgPool2d(double[] x, int n, Pooling.Geometry g) {
        return pool2d(x, n, g, false);
    }

    private static double[] pool2d(double[] x, int n, Pooling.Geometry g, boolean max) {
        int outH = g.outHeight();
        int outW = g.outWidth();
        double[] y = new double[n * g.channels() * outH * outW];
        for (int plane = 0; plane < n * g.channels(); plane++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int kh = 0; kh < g.kernelHeight(); kh++) {
                        for (int kw = 0; kw < g.kernelWidth(); kw++) {
                            int ih = oh * g.strideHeight() - g.padHeight() + kh;
                            int iw = ow * g.strideWidth() - g.padWidth() + kw;
                            if (ih < 0 || ih >= g.inHeight() || iw < 0 || iw >= g.inWidth()) {
                                continue;
                            }
                            double v = x[(plane * g.inHeight() + ih) * g.inWidth() + iw];
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    }
                    y[(plane * outH + oh) * outW + ow] = max ? acc : acc / (g.kernelHeight() * g.kernelWidth());
                }
            }
        }
        return y;
    }

    /** {@code y[s,c] = mean of x[s,c,:]} over a plane of {@code plane} values. */
    static double[] globalAvgPool(double[] x, int n, int channels, int plane) {
        double[] y = new double[n * channels];
        for (int row = 0; row < n * channels; row++) {
            double sum = 0;
            for (int k = 0; k < plane; k++) {
                sum += x[row * plane + k];
            }
            y[row] = sum / plane;
        }
        return y;
    }

    /** Batch norm with batch statistics (biased variance); {@code gamma}/{@code beta} may be null. */
    static double[] batchNormTraining(double[] x, double[] gamma, double[] beta, int n, int channels, int spatial,
                                      double eps) {
        double[] mean = new double[channels];
        double[] variance = new double[channels];
        int m = n * spatial;
        for (int c = 0; c < channels; c++) {
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < spatial; k++) {
                    mean[c] += x[(s * channels + c) * spatial + k] / m;
                }
            }
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < spatial; k++) {
                    double d = x[(s * channels + c) * spatial + k] - mean[c];
                    variance[c] += d * d / m;
                }
            }
        }
        return batchNorm(x, gamma, beta, mean, variance, n, channels, spatial, eps);
    }

    /** {@code y = γ (x − mean)/√(var + ε) + β} per channel. */
    static double[] batchNorm(double[] x, double[] gamma, double[] beta, double[] mean, double[] variance, int n,
                              int channels, int spatial, double eps) {
        double[] y = new double[x.length];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < spatial; k++) {
                    int i = (s * channels + c) * spatial + k;
                    double xhat = (x[i] - mean[c]) / Math.sqrt(variance[c] + eps);
                    y[i] = (gamma == null ? 1 : gamma[c]) * xhat + (beta == null ? 0 : beta[c]);
                }
            }
        }
        return y;
    }

    static double[] sigmoid(double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            y[k] = 1 / (1 + Math.exp(-x[k]));
        }
        return y;
    }

    static double[] tanh(double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            y[k] = Math.tanh(x[k]);
        }
        return y;
    }

    /**
     * {@code x·Φ(x)} with {@code Φ(x) = ½ erfc(−x/√2)} to double precision. Not {@code ½(1 + erf(x/√2))}: for very
     * negative {@code x} that subtracts two numbers near 1 and loses the tiny result.
     */
    static double[] gelu(double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            y[k] = x[k] * 0.5 * erfc(-x[k] / Math.sqrt(2));
        }
        return y;
    }

    /**
     * {@code erf(z) = (2/√π) e^(−z²) Σ_{k≥0} 2^k z^(2k+1) / (1·3·5···(2k+1))}: a series of positive terms (no
     * cancellation) that converges for every {@code z}, accurate to double rounding, and slow enough that no
     * kernel would use it. Independent of the kernel's Chebyshev fit, which it checks.
     */
    static double erf(double z) {
        if (z < 0) {
            return -erf(-z);
        }
        if (z > 6) {
            return 1;
        }
        double term = z;
        double sum = z;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= 2 * z * z / (2 * k + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
    }

    /**
     * {@code erfc(z) = 1 − erf(z)}; for large {@code z}, where {@code 1 − erf} would cancel, the continued
     * fraction {@code e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...))))}, evaluated bottom-up.
     */
    static double erfc(double z) {
        if (z < 2) {
            return 1 - erf(z);
        }
        double fraction = z;
        for (int k = 200; k >= 1; k--) {
            fraction = z + (k / 2.0) / fraction;
        }
        return Math.exp(-z * z) / Math.sqrt(Math.PI) / fraction;
    }

    /** Row-wise softmax with the max shift (the fixture has a row of huge logits). */
    static double[] softmax(double[] x, int rows, int cols) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = Math.exp(x[r * cols + c] - max) / sum;
            }
        }
        return y;
    }

    /** Concatenation of {@code [rows, inner_i]} parts along their second axis. */
    static double[] concat(double[][] parts, int rows) {
        int total = 0;
        for (double[] part : parts) {
            total += part.length / rows;
        }
        double[] y = new double[rows * total];
        for (int r = 0; r < rows; r++) {
            int offset = 0;
            for (double[] part : parts) {
                int inner = part.length / rows;
                for (int j = 0; j < inner; j++) {
                    y[r * total + offset + j] = part[r * inner + j];
                }
                offset += inner;
            }
        }
        return y;
    }
}
