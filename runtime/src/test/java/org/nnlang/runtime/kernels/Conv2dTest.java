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

class Conv2dTest {
    private static final int N = 2;
    private final Random random = new Random(17);

    /** Geometries that exercise every index path: the fixture's, plus a few with batch-sized quirks. */
    static List<Conv2d.Geometry> geometries() {
        return List.of(
                Conv2d.Geometry.square(3, 5, 6, 4, 3, 1, 0, 1, 1),
                Conv2d.Geometry.square(3, 7, 7, 2, 3, 2, 1, 1, 1),
                new Conv2d.Geometry(2, 7, 6, 3, 3, 2, 1, 1, 2, 2, 2, 2, 1),
                Conv2d.Geometry.square(4, 6, 5, 6, 3, 1, 1, 1, 2),
                Conv2d.Geometry.square(3, 5, 5, 6, 3, 1, 1, 1, 3),
                Conv2d.Geometry.square(4, 7, 6, 4, 3, 2, 1, 1, 4),
                new Conv2d.Geometry(2, 5, 7, 3, 2, 3, 1, 2, 1, 0, 1, 1, 1),
                Conv2d.Geometry.square(2, 7, 7, 2, 2, 3, 1, 1, 1),
                Conv2d.Geometry.square(2, 3, 3, 2, 2, 1, 2, 2, 2));
    }

    private Conv2d.Geometry fixtureGeometry(JsonObject c) {
        int[] kernel = ints(c, "kernel");
        int[] stride = ints(c, "stride");
        int[] padding = ints(c, "padding");
        int[] dilation = ints(c, "dilation");
        Conv2d.Geometry g = new Conv2d.Geometry(integer(c, "in_channels"), integer(c, "in_height"),
                integer(c, "in_width"), integer(c, "out_channels"), kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1], dilation[0], dilation[1], integer(c, "groups"));
        assertThat(g.outHeight()).as("OH of %s", c.get("name")).isEqualTo(integer(c, "out_height"));
        assertThat(g.outWidth()).as("OW of %s", c.get("name")).isEqualTo(integer(c, "out_width"));
        return g;
    }

    // ---- PyTorch reference values (scripts/reference/cnn_ops.py) ----

    @Test
    void forwardAndGradientsMatchPyTorch() {
        for (JsonObject c : CnnFixtures.cases("conv2d")) {
            Conv2d.Geometry g = fixtureGeometry(c);
            int n = integer(c, "n");
            float[] x = floats(c, "x");
            float[] w = floats(c, "w");
            float[] b = floats(c, "b");
            float[] dy = floats(c, "dy");
            float[] y = randomArray(random, n * g.outputSize());
            Conv2d.forward(x, w, b, y, g, 0, n);
            assertMatchesPyTorch(c, "y", y, floats(c, "y"));
            float[] dx = randomArray(random, n * g.inputSize());
            Conv2d.backwardInput(dy, w, dx, g, 0, n);
            assertMatchesPyTorch(c, "dx", dx, floats(c, "dx"));
            float[] dw = randomArray(random, g.weightSize());
            Conv2d.backwardWeight(dy, x, dw, n, g, 0, g.outChannels());
            assertMatchesPyTorch(c, "dw", dw, floats(c, "dw"));
            if (b != null) {
                float[] db = randomArray(random, g.outChannels());
                Conv2d.backwardBias(dy, db, n, g, 0, g.outChannels());
                assertMatchesPyTorch(c, "db", db, floats(c, "db"));
            }
        }
    }

    // ---- float64 reference and numerical gradients ----

    @ParameterizedTest
    @MethodSource("geometries")
    void forwardMatchesFloat64Reference(Conv2d.Geometry g) {
        float[] x = randomArray(random, N * g.inputSize());
        float[] w = randomArray(random, g.weightSize());
        float[] b = randomArray(random, g.outChannels());
        float[] y = randomArray(random, N * g.outputSize());
        Conv2d.forward(x, w, b, y, g, 0, N);
        GradCheck.assertClose("conv2d.forward " + g, "y", y,
                CnnReferenceOps.conv2d(toDouble(x), toDouble(w), toDouble(b), N, g), 1e-5, 1e-5);
        Conv2d.forward(x, w, null, y, g, 0, N);
        GradCheck.assertClose("conv2d.forward (no bias) " + g, "y", y,
                CnnReferenceOps.conv2d(toDouble(x), toDouble(w), null, N, g), 1e-5, 1e-5);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void gradientsMatchNumericalGradients(Conv2d.Geometry g) {
        float[] x = randomArray(random, N * g.inputSize());
        float[] w = randomArray(random, g.weightSize());
        float[] b = randomArray(random, g.outChannels());
        float[] r = randomArray(random, N * g.outputSize());
        String op = "conv2d " + g;

        float[] dx = randomArray(random, x.length);
        Conv2d.backwardInput(r, w, dx, g, 0, N);
        GradCheck.check(op, "x", x,
                xd -> weightedSum(r, CnnReferenceOps.conv2d(xd, toDouble(w), toDouble(b), N, g)), dx);
        float[] dw = randomArray(random, w.length);
        Conv2d.backwardWeight(r, x, dw, N, g, 0, g.outChannels());
        GradCheck.check(op, "w", w,
                wd -> weightedSum(r, CnnReferenceOps.conv2d(toDouble(x), wd, toDouble(b), N, g)), dw);
        float[] db = randomArray(random, b.length);
        Conv2d.backwardBias(r, db, N, g, 0, g.outChannels());
        GradCheck.check(op, "b", b,
                bd -> weightedSum(r, CnnReferenceOps.conv2d(toDouble(x), toDouble(w), bd, N, g)), db);
    }

    /** Samples for the forward and dx, output channels for dw and db; see {@link RangeCheck}. */
    @ParameterizedTest
    @MethodSource("geometries")
    void splittingRangesGivesTheSameResult(Conv2d.Geometry g) {
        int n = 3;
        float[] x = randomArray(random, n * g.inputSize());
        float[] w = randomArray(random, g.weightSize());
        float[] b = randomArray(random, g.outChannels());
        float[] dy = randomArray(random, n * g.outputSize());
        for (int k = 0; k <= n; k++) {
            assertSplitEqualsWhole("forward", n * g.outputSize(), g.outputSize(), k,
                    (y, from, to) -> Conv2d.forward(x, w, b, y, g, from, to));
            assertSplitEqualsWhole("backwardInput", n * g.inputSize(), g.inputSize(), k,
                    (dx, from, to) -> Conv2d.backwardInput(dy, w, dx, g, from, to));
        }
        int perOut = g.weightSize() / g.outChannels();
        for (int k = 0; k <= g.outChannels(); k++) {
            assertSplitEqualsWhole("backwardWeight", g.weightSize(), perOut, k,
                    (dw, from, to) -> Conv2d.backwardWeight(dy, x, dw, n, g, from, to));
            assertSplitEqualsWhole("backwardBias", g.outChannels(), 1, k,
                    (db, from, to) -> Conv2d.backwardBias(dy, db, n, g, from, to));
        }
    }

    @Test
    void depthwiseOutputChannelReadsOnlyItsInputChannel() {
        // groups = C = 2, multiplier 3: output channels 0..2 see input channel 0, 3..5 input channel 1.
        Conv2d.Geometry g = Conv2d.Geometry.square(2, 4, 4, 6, 3, 1, 1, 1, 2);
        float[] x = new float[g.inputSize()];
        java.util.Arrays.fill(x, 16, 32, 1f);
        float[] w = new float[g.weightSize()];
        java.util.Arrays.fill(w, 1f);
        float[] y = new float[g.outputSize()];
        Conv2d.forward(x, w, null, y, g, 0, 1);
        int plane = g.outHeight() * g.outWidth();
        for (int o = 0; o < 6; o++) {
            float centre = y[o * plane + plane / 2 + 1];
            assertThat(centre).as("output channel %d", o).isEqualTo(o < 3 ? 0f : 9f);
        }
    }

    @Test
    void tapRangesCoverExactlyTheInsidePositions() {
        for (int stride = 1; stride <= 3; stride++) {
            for (int offset = -5; offset <= 5; offset++) {
                int inSize = 4;
                int outSize = 6;
                int from = Conv2d.firstInside(offset, stride);
                int to = Conv2d.endInside(offset, stride, inSize, outSize);
                for (int i = 0; i < outSize; i++) {
                    int position = i * stride + offset;
                    boolean inside = position >= 0 && position < inSize;
                    assertThat(i >= from && i < to).as("stride %d offset %d output %d", stride, offset, i)
                            .isEqualTo(inside);
                }
            }
        }
    }

    @Test
    void geometryRejectsImpossibleShapes() {
        assertThatThrownBy(() -> Conv2d.Geometry.square(3, 5, 5, 4, 3, 1, 0, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groups = 2");
        assertThatThrownBy(() -> Conv2d.Geometry.square(2, 2, 2, 2, 3, 1, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than the padded");
        assertThatThrownBy(() -> Conv2d.Geometry.square(2, 5, 5, 2, 3, 0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
        assertThatThrownBy(() -> Conv2d.Geometry.square(2, 5, 5, 2, 3, 1, -1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding");
    }
}
