package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nnlang.runtime.kernels.CnnFixtures.assertMatchesPyTorch;
import static org.nnlang.runtime.kernels.CnnFixtures.floats;
import static org.nnlang.runtime.kernels.CnnFixtures.integer;
import static org.nnlang.runtime.kernels.CnnFixtures.ints;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.GradCheck.toDouble;
import static org.nnlang.runtime.kernels.GradCheck.weightedSum;
import static org.nnlang.runtime.kernels.RangeCheck.assertSplitEqualsWhole;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PoolingTest {
    private static final int N = 2;
    private final Random random = new Random(23);

    static List<Pooling.Geometry> geometries() {
        return List.of(
                Pooling.Geometry.square(3, 6, 6, 2, 2, 0),
                Pooling.Geometry.square(2, 7, 6, 3, 2, 1),
                Pooling.Geometry.square(2, 5, 5, 3, 1, 1),
                new Pooling.Geometry(2, 5, 6, 2, 3, 2, 1, 1, 1),
                Pooling.Geometry.square(1, 7, 7, 2, 3, 1));
    }

    private static Pooling.Geometry fixtureGeometry(JsonObject c) {
        int[] kernel = ints(c, "kernel");
        int[] stride = ints(c, "stride");
        int[] padding = ints(c, "padding");
        Pooling.Geometry g = new Pooling.Geometry(integer(c, "channels"), integer(c, "in_height"),
                integer(c, "in_width"), kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
        assertThat(g.outHeight()).as("OH of %s", c.get("name")).isEqualTo(integer(c, "out_height"));
        assertThat(g.outWidth()).as("OW of %s", c.get("name")).isEqualTo(integer(c, "out_width"));
        return g;
    }

    // ---- PyTorch reference values (scripts/reference/cnn_ops.py) ----

    /** Includes inputs of small integers, full of ties: the first maximum wins, in the indices and the backward. */
    @Test
    void maxPoolMatchesPyTorch() {
        for (JsonObject c : CnnFixtures.cases("max_pool2d")) {
            Pooling.Geometry g = fixtureGeometry(c);
            int n = integer(c, "n");
            float[] y = randomArray(random, n * g.outputSize());
            float[] indices = randomArray(random, n * g.outputSize());
            Pooling.maxPool2dForward(floats(c, "x"), y, indices, g, 0, n);
            assertMatchesPyTorch(c, "y", y, floats(c, "y"), 0, 0);
            assertMatchesPyTorch(c, "indices", indices, floats(c, "indices"), 0, 0);
            float[] dx = randomArray(random, n * g.inputSize());
            Pooling.maxPool2dBackward(floats(c, "dy"), indices, dx, g, 0, n);
            assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"));
        }
    }

    @Test
    void avgPoolMatchesPyTorch() {
        for (JsonObject c : CnnFixtures.cases("avg_pool2d")) {
            Pooling.Geometry g = fixtureGeometry(c);
            int n = integer(c, "n");
            float[] y = randomArray(random, n * g.outputSize());
            Pooling.avgPool2dForward(floats(c, "x"), y, g, 0, n);
            assertMatchesPyTorch(c, "y", y, floats(c, "y"));
            float[] dx = randomArray(random, n * g.inputSize());
            Pooling.avgPool2dBackward(floats(c, "dy"), dx, g, 0, n);
            assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"));
        }
    }

    @Test
    void globalAvgPoolMatchesPyTorch() {
        for (JsonObject c : CnnFixtures.cases("global_avg_pool")) {
            int n = integer(c, "n");
            int channels = integer(c, "channels");
            int plane = integer(c, "in_height") * integer(c, "in_width");
            float[] y = randomArray(random, n * channels);
            Pooling.globalAvgPoolForward(floats(c, "x"), y, channels, plane, 0, n);
            assertMatchesPyTorch(c, "y", y, floats(c, "y"));
            float[] dx = randomArray(random, n * channels * plane);
            Pooling.globalAvgPoolBackward(floats(c, "dy"), dx, channels, plane, 0, n);
            assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"));
        }
    }

    // ---- float64 reference and numerical gradients ----

    @ParameterizedTest
    @MethodSource("geometries")
    void maxPoolMatchesReferenceAndNumericalGradient(Pooling.Geometry g) {
        // Gaussian inputs have no ties, and no two entries within 2h of each other, so max is differentiable.
        float[] x = randomArray(random, N * g.inputSize());
        float[] y = new float[N * g.outputSize()];
        float[] indices = new float[N * g.outputSize()];
        Pooling.maxPool2dForward(x, y, indices, g, 0, N);
        GradCheck.assertClose("maxPool2d.forward " + g, "y", y, CnnReferenceOps.maxPool2d(toDouble(x), N, g), 0, 0);
        float[] r = randomArray(random, y.length);
        float[] dx = randomArray(random, x.length);
        Pooling.maxPool2dBackward(r, indices, dx, g, 0, N);
        GradCheck.check("maxPool2d " + g, "x", x, xd -> weightedSum(r, CnnReferenceOps.maxPool2d(xd, N, g)), dx);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void avgPoolMatchesReferenceAndNumericalGradient(Pooling.Geometry g) {
        float[] x = randomArray(random, N * g.inputSize());
        float[] y = new float[N * g.outputSize()];
        Pooling.avgPool2dForward(x, y, g, 0, N);
        GradCheck.assertClose("avgPool2d.forward " + g, "y", y, CnnReferenceOps.avgPool2d(toDouble(x), N, g),
                1e-6, 1e-6);
        float[] r = randomArray(random, y.length);
        float[] dx = randomArray(random, x.length);
        Pooling.avgPool2dBackward(r, dx, g, 0, N);
        GradCheck.check("avgPool2d " + g, "x", x, xd -> weightedSum(r, CnnReferenceOps.avgPool2d(xd, N, g)), dx);
    }

    @Test
    void globalAvgPoolMatchesReferenceAndNumericalGradient() {
        int channels = 3;
        int plane = 5 * 7;
        float[] x = randomArray(random, N * channels * plane);
        float[] y = new float[N * channels];
        Pooling.globalAvgPoolForward(x, y, channels, plane, 0, N);
        GradCheck.assertClose("globalAvgPool.forward", "y", y,
                CnnReferenceOps.globalAvgPool(toDouble(x), N, channels, plane), 1e-6, 1e-7);
        float[] r = randomArray(random, y.length);
        float[] dx = randomArray(random, x.length);
        Pooling.globalAvgPoolBackward(r, dx, channels, plane, 0, N);
        GradCheck.check("globalAvgPool", "x", x,
                xd -> weightedSum(r, CnnReferenceOps.globalAvgPool(xd, N, channels, plane)), dx);
    }

    @Test
    void maxPoolPropagatesNaNAndHandlesMinusInfinity() {
        Pooling.Geometry g = Pooling.Geometry.square(1, 2, 4, 2, 2, 0);
        float ninf = Float.NEGATIVE_INFINITY;
        float[] x = {1f, Float.NaN, ninf, ninf,
                     5f, 2f, ninf, ninf};
        float[] y = new float[2];
        float[] indices = new float[2];
        Pooling.maxPool2dForward(x, y, indices, g, 0, 1);
        // NaN wins its window, as in PyTorch; a window of −∞ reports −∞ at its first position.
        assertThat(y[0]).isNaN();
        assertThat(indices[0]).isEqualTo(1f);
        assertThat(y[1]).isEqualTo(ninf);
        assertThat(indices[1]).isEqualTo(2f);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void splittingRangesGivesTheSameResult(Pooling.Geometry g) {
        int n = 3;
        float[] x = randomArray(random, n * g.inputSize());
        float[] dy = randomArray(random, n * g.outputSize());
        float[] indices = new float[n * g.outputSize()];
        Pooling.maxPool2dForward(x, new float[indices.length], indices, g, 0, n);
        int channels = g.channels();
        int plane = g.inHeight() * g.inWidth();
        float[] pooledDy = randomArray(random, n * channels);
        for (int k = 0; k <= n; k++) {
            assertSplitEqualsWhole("maxPool2dForward (y)", n * g.outputSize(), g.outputSize(), k,
                    (y, from, to) -> Pooling.maxPool2dForward(x, y, new float[indices.length], g, from, to));
            assertSplitEqualsWhole("maxPool2dForward (indices)", n * g.outputSize(), g.outputSize(), k,
                    (ind, from, to) -> Pooling.maxPool2dForward(x, new float[indices.length], ind, g, from, to));
            assertSplitEqualsWhole("maxPool2dBackward", n * g.inputSize(), g.inputSize(), k,
                    (dx, from, to) -> Pooling.maxPool2dBackward(dy, indices, dx, g, from, to));
            assertSplitEqualsWhole("avgPool2dForward", n * g.outputSize(), g.outputSize(), k,
                    (y, from, to) -> Pooling.avgPool2dForward(x, y, g, from, to));
            assertSplitEqualsWhole("avgPool2dBackward", n * g.inputSize(), g.inputSize(), k,
                    (dx, from, to) -> Pooling.avgPool2dBackward(dy, dx, g, from, to));
            assertSplitEqualsWhole("globalAvgPoolForward", n * channels, channels, k,
                    (y, from, to) -> Pooling.globalAvgPoolForward(x, y, channels, plane, from, to));
            assertSplitEqualsWhole("globalAvgPoolBackward", n * g.inputSize(), g.inputSize(), k,
                    (dx, from, to) -> Pooling.globalAvgPoolBackward(pooledDy, dx, channels, plane, from, to));
        }
    }

    @Test
    void geometryRejectsPaddingBeyondHalfTheKernel() {
        assertThatThrownBy(() -> Pooling.Geometry.square(1, 5, 5, 2, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("half");
        assertThatThrownBy(() -> Pooling.Geometry.square(1, 2, 2, 3, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than the padded");
    }
}
