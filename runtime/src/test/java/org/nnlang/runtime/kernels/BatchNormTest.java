package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.nnlang.runtime.kernels.CnnFixtures.assertMatchesPyTorch;
import static org.nnlang.runtime.kernels.CnnFixtures.floats;
import static org.nnlang.runtime.kernels.CnnFixtures.integer;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;
import static org.nnlang.runtime.kernels.GradCheck.weightedSum;
import static org.nnlang.runtime.kernels.RangeCheck.assertSplitEqualsWhole;

import com.google.gson.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchNormTest {
    private static final float EPS = BatchNorm.DEFAULT_EPS;
    private final Random random = new Random(31);

    /** Gaussian values shifted and scaled per call, so batch statistics are far from 0 and 1. */
    private float[] input(int size) {
        float[] x = randomArray(random, size);
        for (int k = 0; k < size; k++) {
            x[k] = x[k] * 1.7f + 0.6f;
        }
        return x;
    }

    private static float[] positive(Random random, int size) {
        float[] a = new float[size];
        for (int k = 0; k < size; k++) {
            a[k] = 0.5f + random.nextFloat();
        }
        return a;
    }

    // ---- PyTorch reference values (scripts/reference/cnn_ops.py) ----

    @Test
    void trainingAndInferenceMatchPyTorch() {
        for (JsonObject c : CnnFixtures.cases("batch_norm")) {
            int n = integer(c, "n");
            int channels = integer(c, "channels");
            int spatial = integer(c, "spatial");
            float eps = c.get("eps").getAsFloat();
            float momentum = c.get("momentum").getAsFloat();
            float[] x = floats(c, "x");
            float[] gamma = floats(c, "gamma");
            float[] beta = floats(c, "beta");
            float[] runningMean = floats(c, "running_mean_before");
            float[] runningVar = floats(c, "running_var_before");
            float[] y = randomArray(random, x.length);
            if (c.get("training").getAsBoolean()) {
                float[] mean = randomArray(random, channels);
                float[] invStd = randomArray(random, channels);
                BatchNorm.forwardTraining(x, gamma, beta, y, runningMean, runningVar, mean, invStd, n, channels,
                        spatial, eps, momentum, 0, channels);
                assertMatchesPyTorch(c, "y", y, floats(c, "y"));
                assertMatchesPyTorch(c, "saved mean", mean, floats(c, "saved_mean"));
                assertMatchesPyTorch(c, "saved invstd", invStd, floats(c, "saved_inv_std"));
                assertMatchesPyTorch(c, "running_mean after one step", runningMean, floats(c, "running_mean_after"));
                assertMatchesPyTorch(c, "running_var after one step", runningVar, floats(c, "running_var_after"));
                float[] dx = randomArray(random, x.length);
                float[] dgamma = randomArray(random, channels);
                float[] dbeta = randomArray(random, channels);
                BatchNorm.backward(x, floats(c, "dy"), mean, invStd, gamma, dx, gamma == null ? null : dgamma,
                        beta == null ? null : dbeta, n, channels, spatial, 0, channels);
                assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"));
                if (gamma != null) {
                    assertMatchesPyTorch(c, "dgamma", dgamma, floats(c, "dgamma"));
                    assertMatchesPyTorch(c, "dbeta", dbeta, floats(c, "dbeta"));
                }
            } else {
                BatchNorm.forwardInference(x, gamma, beta, runningMean, runningVar, y, channels, spatial, eps, 0, n);
                assertMatchesPyTorch(c, "y", y, floats(c, "y"));
                assertThat(runningMean).as("inference leaves the running mean alone")
                        .containsExactly(floats(c, "running_mean_after"));
            }
        }
    }

    // ---- float64 reference and numerical gradients ----

    @ParameterizedTest(name = "n={0} C={1} spatial={2} affine={3}")
    @CsvSource({"2, 3, 20, true", "3, 2, 9, false", "6, 4, 1, true", "2, 1, 1, true"})
    void trainingForwardAndGradientsMatchReference(int n, int channels, int spatial, boolean affine) {
        float[] x = input(n * channels * spatial);
        float[] gamma = affine ? randomArray(random, channels) : null;
        float[] beta = affine ? randomArray(random, channels) : null;
        double[] gammaD = affine ? toDouble(gamma) : null;
        double[] betaD = affine ? toDouble(beta) : null;
        float[] y = new float[x.length];
        float[] mean = new float[channels];
        float[] invStd = new float[channels];
        BatchNorm.forwardTraining(x, gamma, beta, y, null, null, mean, invStd, n, channels, spatial, EPS, 0.1f,
                0, channels);
        String op = "batchNorm training n=" + n + " C=" + channels + " spatial=" + spatial;
        GradCheck.assertClose(op, "y", y,
                CnnReferenceOps.batchNormTraining(toDouble(x), gammaD, betaD, n, channels, spatial, EPS), 1e-5, 1e-5);

        float[] r = randomArray(random, x.length);
        float[] dx = randomArray(random, x.length);
        float[] dgamma = randomArray(random, channels);
        float[] dbeta = randomArray(random, channels);
        BatchNorm.backward(x, r, mean, invStd, gamma, dx, dgamma, dbeta, n, channels, spatial, 0, channels);
        GradCheck.check(op, "x", x, xd -> weightedSum(r,
                CnnReferenceOps.batchNormTraining(xd, gammaD, betaD, n, channels, spatial, EPS)), dx);
        if (affine) {
            GradCheck.check(op, "gamma", gamma, gd -> weightedSum(r,
                    CnnReferenceOps.batchNormTraining(toDouble(x), gd, betaD, n, channels, spatial, EPS)), dgamma);
            GradCheck.check(op, "beta", beta, bd -> weightedSum(r,
                    CnnReferenceOps.batchNormTraining(toDouble(x), gammaD, bd, n, channels, spatial, EPS)), dbeta);
        }
    }

    @Test
    void runningStatisticsUseTheUnbiasedVariance() {
        int n = 4;
        int channels = 2;
        int spatial = 3;
        float momentum = 0.25f;
        float[] x = input(n * channels * spatial);
        float[] runningMean = {0.5f, -1f};
        float[] runningVar = {2f, 0.75f};
        BatchNorm.forwardTraining(x, null, null, new float[x.length], runningMean, runningVar, new float[channels],
                new float[channels], n, channels, spatial, EPS, momentum, 0, channels);
        int m = n * spatial;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double squares = 0;
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < spatial; k++) {
                    sum += x[(s * channels + c) * spatial + k];
                }
            }
            double mean = sum / m;
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < spatial; k++) {
                    double d = x[(s * channels + c) * spatial + k] - mean;
                    squares += d * d;
                }
            }
            double before = c == 0 ? 0.5 : -1;
            double beforeVar = c == 0 ? 2 : 0.75;
            assertThat((double) runningMean[c]).as("running_mean[%d]", c)
                    .isCloseTo(0.75 * before + 0.25 * mean, offset(1e-6));
            assertThat((double) runningVar[c]).as("running_var[%d] (unbiased: divide by m − 1)", c)
                    .isCloseTo(0.75 * beforeVar + 0.25 * squares / (m - 1), offset(1e-6));
        }
    }

    @Test
    void inferenceMatchesReference() {
        int n = 3;
        int channels = 4;
        int spatial = 6;
        float[] x = input(n * channels * spatial);
        float[] gamma = randomArray(random, channels);
        float[] beta = randomArray(random, channels);
        float[] runningMean = randomArray(random, channels);
        float[] runningVar = positive(random, channels);
        float[] y = new float[x.length];
        BatchNorm.forwardInference(x, gamma, beta, runningMean, runningVar, y, channels, spatial, EPS, 0, n);
        GradCheck.assertClose("batchNorm inference", "y", y, CnnReferenceOps.batchNorm(toDouble(x), toDouble(gamma),
                toDouble(beta), toDouble(runningMean), toDouble(runningVar), n, channels, spatial, EPS), 1e-5, 1e-5);
        BatchNorm.forwardInference(x, null, null, runningMean, runningVar, y, channels, spatial, EPS, 0, n);
        GradCheck.assertClose("batchNorm inference (no affine)", "y", y, CnnReferenceOps.batchNorm(toDouble(x), null,
                null, toDouble(runningMean), toDouble(runningVar), n, channels, spatial, EPS), 1e-5, 1e-5);
    }

    @Test
    void trainingRejectsASingleValuePerChannel() {
        assertThatThrownBy(() -> BatchNorm.forwardTraining(new float[3], null, null, new float[3], null, null,
                new float[3], new float[3], 1, 3, 1, EPS, 0.1f, 0, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one value");
    }

    /**
     * Training forward and backward split over channels, inference over samples. The channel-split kernels write
     * strided slices of {@code y}/{@code dx}, so the check compares whole outputs after running the two halves.
     */
    @Test
    void splittingRangesGivesTheSameResult() {
        int n = 3;
        int channels = 4;
        int spatial = 5;
        float[] x = input(n * channels * spatial);
        float[] gamma = randomArray(random, channels);
        float[] beta = randomArray(random, channels);
        float[] dy = randomArray(random, x.length);
        float[] runningMean = randomArray(random, channels);
        float[] runningVar = positive(random, channels);
        for (int k = 0; k <= channels; k++) {
            int split = k;
            float[][] whole = training(x, gamma, beta, dy, runningMean, runningVar, n, channels, spatial, 0, channels);
            float[][] halves = training(x, gamma, beta, dy, runningMean, runningVar, n, channels, spatial, split,
                    channels);
            float[][] first = training(x, gamma, beta, dy, runningMean, runningVar, n, channels, spatial, 0, split);
            for (int part = 0; part < whole.length; part++) {
                float[] merged = halves[part].clone();
                boolean perChannel = merged.length == channels;
                for (int i = 0; i < merged.length; i++) {
                    int channel = perChannel ? i : i / spatial % channels;
                    if (channel < split) {
                        assertThat(merged[i]).as("output %d entry %d was written by the range [%d,%d)", part, i,
                                split, channels).isNaN();
                        merged[i] = first[part][i];
                    }
                }
                assertThat(merged).as("output %d split at channel %d", part, split).containsExactly(whole[part]);
            }
        }
        for (int k = 0; k <= n; k++) {
            assertSplitEqualsWhole("forwardInference", x.length, channels * spatial, k,
                    (y, from, to) -> BatchNorm.forwardInference(x, gamma, beta, runningMean, runningVar, y, channels,
                            spatial, EPS, from, to));
        }
    }

    /** Runs forward and backward on channels [from, to) into NaN-filled buffers; returns all seven outputs. */
    private static float[][] training(float[] x, float[] gamma, float[] beta, float[] dy, float[] runningMean,
                                      float[] runningVar, int n, int channels, int spatial, int from, int to) {
        float[][] out = new float[7][];
        out[0] = nans(x.length);
        out[1] = runningMean.clone();
        out[2] = runningVar.clone();
        for (int c = 0; c < from; c++) {
            out[1][c] = Float.NaN;
            out[2][c] = Float.NaN;
        }
        out[3] = nans(channels);
        out[4] = nans(channels);
        BatchNorm.forwardTraining(x, gamma, beta, out[0], out[1], out[2], out[3], out[4], n, channels, spatial, EPS,
                0.1f, from, to);
        out[5] = nans(x.length);
        out[6] = nans(channels);
        float[] dbeta = nans(channels);
        BatchNorm.backward(x, dy, out[3], out[4], gamma, out[5], out[6], dbeta, n, channels, spatial, from, to);
        return out;
    }

    private static float[] nans(int size) {
        float[] a = new float[size];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }
}
