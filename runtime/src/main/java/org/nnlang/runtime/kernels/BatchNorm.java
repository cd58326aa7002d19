package org.nnlang.runtime.kernels;

/**
 * Batch normalisation with PyTorch's {@code BatchNorm1d}/{@code BatchNorm2d} semantics, for any input laid out
 * as {@code [n, C, spatial]}: {@code [n, C, H, W]} with {@code spatial = H·W} (2-d), or {@code [n, C]} with
 * {@code spatial = 1} (1-d). Each channel {@code c} is normalised over its {@code m = n·spatial} values.
 *
 * <p>Training (batch statistics):
 * <pre>
 *   μ_c = (1/m) Σ x          σ²_c = (1/m) Σ (x − μ_c)²  (biased: used to normalise)
 *   invStd_c = 1 / √(σ²_c + ε)          x̂ = (x − μ_c) · invStd_c          y = γ_c · x̂ + β_c
 *   running_mean ← (1 − momentum) · running_mean + momentum · μ_c
 *   running_var  ← (1 − momentum) · running_var  + momentum · σ²_c · m / (m − 1)   (unbiased)
 * </pre>
 * Inference (running statistics): {@code y = γ · (x − running_mean) / √(running_var + ε) + β}.
 *
 * <p>Backward of the training forward, with the sums over the channel's {@code m} values:
 * <pre>
 *   dβ_c = Σ dy          dγ_c = Σ dy · x̂
 *   dx   = γ_c · invStd_c · (dy − dβ_c / m − x̂ · dγ_c / m)
 * </pre>
 * The forward saves {@code μ_c} and {@code invStd_c} (two {@code [C]} buffers, {@code savedMean} and
 * {@code savedInvStd}) so the backward need not recompute them; it reads {@code x}, not {@code y}.
 *
 * <p>Statistics and gradient sums run in double (two passes: mean, then squared deviations); the per-element
 * work is a float {@code x·scale + shift}. {@code gamma}/{@code beta} may be {@code null} ({@code affine =
 * False}: γ = 1, β = 0), and so may the running statistics ({@code track_running_stats = False}). PyTorch's
 * default {@code ε} is {@link #DEFAULT_EPS} and its default momentum {@link #DEFAULT_MOMENTUM}.
 *
 * <p>Ranges: the training forward and the backward need every sample of a channel, so they take a range of
 * channels {@code [channelFrom, channelTo)} and write only those channels (of {@code y}/{@code dx} across all
 * samples, and of the {@code [C]} buffers). The inference forward takes samples {@code [sampleFrom, sampleTo)}.
 * Everything is overwritten except the running statistics, which are updated in place (once per call: a
 * training forward must run exactly once per step for each channel). Nothing allocates except the exception for
 * a training batch with a single value per channel.
 */
public final class BatchNorm {
    /** PyTorch's default {@code eps}. */
    public static final float DEFAULT_EPS = 1e-5f;
    /** PyTorch's default {@code momentum}. */
    public static final float DEFAULT_MOMENTUM = 0.1f;

    private BatchNorm() {
    }

    /**
     * Training forward for channels {@code [channelFrom, channelTo)}: normalises with the batch statistics,
     * overwrites those channels of {@code y}, {@code savedMean} and {@code savedInvStd}, and updates those
     * entries of {@code runningMean} and {@code runningVar} in place.
     *
     * @param gamma       weight {@code [C]}, or {@code null} for 1
     * @param beta        bias {@code [C]}, or {@code null} for 0
     * @param runningMean {@code [C]}, updated in place, or {@code null} to track no running statistics
     * @param runningVar  {@code [C]}, updated in place with the unbiased batch variance, or {@code null}
     * @param savedMean   {@code [C]}, receives {@code μ_c} for {@link #backward}
     * @param savedInvStd {@code [C]}, receives {@code 1/√(σ²_c + ε)} for {@link #backward}
     * @throws IllegalArgumentException if {@code n·spatial = 1}: one value has no variance (PyTorch refuses too)
     */
    public static void forwardTraining(float[] x, float[] gamma, float[] beta, float[] y,
                                       float[] runningMean, float[] runningVar, float[] savedMean,
                                       float[] savedInvStd, int n, int channels, int spatial, float eps,
                                       float momentum, int channelFrom, int channelTo) {
        int m = n * spatial;
        if (m <= 1) {
            throw new IllegalArgumentException("batch normalisation in training needs more than one value per "
                    + "channel, got n = " + n + " with " + spatial + " per sample");
        }
        for (int c = channelFrom; c < channelTo; c++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                int plane = (s * channels + c) * spatial;
                for (int k = 0; k < spatial; k++) {
                    sum += x[plane + k];
                }
            }
            double mean = sum / m;
            double squares = 0;
            for (int s = 0; s < n; s++) {
                int plane = (s * channels + c) * spatial;
                for (int k = 0; k < spatial; k++) {
                    double d = x[plane + k] - mean;
                    squares += d * d;
                }
            }
            double variance = squares / m;
            double invStd = 1 / Math.sqrt(variance + eps);
            savedMean[c] = (float) mean;
            savedInvStd[c] = (float) invStd;
            if (runningMean != null) {
                runningMean[c] = (float) ((1 - (double) momentum) * runningMean[c] + momentum * mean);
            }
            if (runningVar != null) {
                runningVar[c] = (float) ((1 - (double) momentum) * runningVar[c] + momentum * (squares / (m - 1)));
            }
            double scale = gamma == null ? invStd : gamma[c] * invStd;
            float shift = (float) ((beta == null ? 0 : beta[c]) - mean * scale);
            normalize(x, y, (float) scale, shift, n, channels, spatial, c);
        }
    }

    /**
     * Inference forward for samples {@code [sampleFrom, sampleTo)} with the running statistics, overwriting
     * those samples of {@code y}. {@code gamma}/{@code beta} may be {@code null} (1 and 0).
     */
    public static void forwardInference(float[] x, float[] gamma, float[] beta, float[] runningMean,
                                        float[] runningVar, float[] y, int channels, int spatial, float eps,
                                        int sampleFrom, int sampleTo) {
        for (int s = sampleFrom; s < sampleTo; s++) {
            for (int c = 0; c < channels; c++) {
                double invStd = 1 / Math.sqrt(runningVar[c] + (double) eps);
                double scale = gamma == null ? invStd : gamma[c] * invStd;
                float shift = (float) ((beta == null ? 0 : beta[c]) - runningMean[c] * scale);
                int plane = (s * channels + c) * spatial;
                float sc = (float) scale;
                for (int k = 0; k < spatial; k++) {
                    y[plane + k] = x[plane + k] * sc + shift;
                }
            }
        }
    }

    /**
     * Backward of {@link #forwardTraining} for channels {@code [channelFrom, channelTo)}, from the forward's
     * input {@code x} and its saved statistics. Overwrites those channels of {@code dx} (all samples),
     * {@code dgamma} and {@code dbeta}; any of the three may be {@code null} when that gradient is not needed.
     *
     * @param gamma the forward's weight, or {@code null} for 1
     */
    public static void backward(float[] x, float[] dy, float[] savedMean, float[] savedInvStd, float[] gamma,
                                float[] dx, float[] dgamma, float[] dbeta, int n, int channels, int spatial,
                                int channelFrom, int channelTo) {
        int m = n * spatial;
        for (int c = channelFrom; c < channelTo; c++) {
            float mean = savedMean[c];
            float invStd = savedInvStd[c];
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int s = 0; s < n; s++) {
                int plane = (s * channels + c) * spatial;
                for (int k = 0; k < spatial; k++) {
                    sumDy += dy[plane + k];
                    sumDyXhat += (double) dy[plane + k] * (x[plane + k] - mean);
                }
            }
            sumDyXhat *= invStd;
            if (dbeta != null) {
                dbeta[c] = (float) sumDy;
            }
            if (dgamma != null) {
                dgamma[c] = (float) sumDyXhat;
            }
            if (dx != null) {
                float a = (gamma == null ? 1f : gamma[c]) * invStd;
                float meanDy = (float) (sumDy / m);
                float xhatScale = (float) (sumDyXhat / m * invStd);
                for (int s = 0; s < n; s++) {
                    int plane = (s * channels + c) * spatial;
                    for (int k = 0; k < spatial; k++) {
                        dx[plane + k] = a * (dy[plane + k] - meanDy - (x[plane + k] - mean) * xhatScale);
                    }
                }
            }
        }
    }

    /** {@code y = x·scale + shift} over channel {@code c} of every sample. */
    private static void normalize(float[] x, float[] y, float scale, float shift, int n, int channels, int spatial,
                                  int c) {
        for (int s = 0; s < n; s++) {
            int plane = (s * channels + c) * spatial;
            for (int k = 0; k < spatial; k++) {
                y[plane + k] = x[plane + k] * scale + shift;
            }
        }
    }

    /**
     * Stops a training step whose batch gives one value per channel, which has no variance, with a message for the
     * user; every backend calls it before normalising.
     *
     * @throws org.nnlang.runtime.NnException if {@code batch · spatial < 2}
     */
    public static void requireVariance(int batch, int spatial, String origin) {
        if (batch * spatial < 2) {
            throw new org.nnlang.runtime.NnException("batchnorm (" + origin + ") cannot normalise a batch of one "
                    + "sample with one value per channel: there is no variance; use a batch size whose last batch "
                    + "is not 1");
        }
    }
}
