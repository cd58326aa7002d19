package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.SteadyState.assertNoAllocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FastConv2d} (im2col + {@link Gemm}) and {@link DepthwiseConv2d} against the reference {@link Conv2d} on
 * random inputs: odd sizes, strides, padding, dilation, groups, depthwise with multipliers 1 and 2, 1×1, with and
 * without bias; forward, input, weight and bias gradients, each computed in two ranges (as two threads would).
 *
 * <p>Tolerance: the fast kernels add the same terms in another order (and with fused multiply-adds; the weight
 * gradient in float instead of double), so each entry may differ from the reference by a few float roundings of
 * the terms' magnitude. With unit Gaussian inputs and at most a few thousand terms per entry, we allow
 * {@code 1e-5·(1 + Σ|terms|)} per entry, with {@code Σ|terms|} bounded by the same sum taken over absolute values.
 */
class FastConv2dTest {
    private static final int N = 3;
    private final Random random = new Random(11);

    private static List<Conv2d.Geometry> geometries() {
        List<Conv2d.Geometry> list = new ArrayList<>();
        // in C, H, W, out O, KH, KW, sH, sW, pH, pW, dH, dW, groups
        list.add(new Conv2d.Geometry(1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1));    // the examples' first layer
        list.add(new Conv2d.Geometry(16, 14, 14, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1));   // plain, stride 2
        list.add(new Conv2d.Geometry(32, 7, 7, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1));
        list.add(new Conv2d.Geometry(3, 7, 9, 5, 3, 2, 1, 1, 0, 1, 1, 1, 1));      // odd sizes, rectangular kernel
        list.add(new Conv2d.Geometry(3, 11, 10, 4, 3, 3, 2, 3, 2, 0, 1, 1, 1));    // unequal strides, padding
        list.add(new Conv2d.Geometry(2, 13, 12, 3, 3, 3, 1, 1, 2, 2, 2, 2, 1));    // dilation 2
        list.add(new Conv2d.Geometry(2, 9, 9, 3, 3, 3, 2, 2, 1, 1, 2, 2, 1));      // dilation 2, stride 2
        list.add(new Conv2d.Geometry(4, 7, 6, 6, 3, 3, 2, 2, 1, 1, 2, 2, 2));      // groups 2
        list.add(new Conv2d.Geometry(6, 8, 8, 4, 1, 1, 1, 1, 0, 0, 1, 1, 2));      // 1×1, groups 2
        list.add(new Conv2d.Geometry(16, 14, 14, 32, 1, 1, 1, 1, 0, 0, 1, 1, 1));   // pointwise 1×1
        list.add(new Conv2d.Geometry(32, 7, 7, 64, 1, 1, 1, 1, 0, 0, 1, 1, 1));     // pointwise, samples side by side
        list.add(new Conv2d.Geometry(5, 6, 7, 3, 1, 1, 2, 2, 1, 1, 1, 1, 1));       // 1×1 with stride and padding
        list.add(new Conv2d.Geometry(20, 5, 5, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1));     // Kg > Og, small planes
        list.add(new Conv2d.Geometry(3, 30, 33, 300, 3, 3, 1, 1, 1, 1, 1, 1, 1));   // Og > Kg, long rows
        list.add(new Conv2d.Geometry(16, 28, 28, 16, 3, 3, 2, 2, 1, 1, 1, 1, 16));  // depthwise, stride 2
        list.add(new Conv2d.Geometry(32, 14, 14, 32, 3, 3, 2, 2, 1, 1, 1, 1, 32));
        list.add(new Conv2d.Geometry(3, 9, 8, 6, 3, 3, 1, 1, 1, 1, 1, 1, 3));       // depthwise, multiplier 2
        list.add(new Conv2d.Geometry(4, 11, 10, 8, 5, 3, 2, 1, 2, 1, 2, 1, 4));     // depthwise ×2, mixed axes
        list.add(new Conv2d.Geometry(2, 5, 5, 2, 3, 3, 3, 3, 0, 0, 1, 1, 2));       // depthwise, stride 3, no pad
        list.add(new Conv2d.Geometry(3, 9, 10, 3, 3, 3, 1, 2, 1, 1, 1, 1, 3));      // depthwise, stride 2 across only
        list.add(new Conv2d.Geometry(4, 11, 12, 8, 3, 3, 2, 2, 2, 2, 2, 2, 4));     // depthwise ×2, stride, dilation
        list.add(new Conv2d.Geometry(2, 24, 25, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1));     // P > NC: im2col, then pack
        list.add(new Conv2d.Geometry(64, 5, 4, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1));      // Kg > NC: colᵀ packed by copy
        return list;
    }

    @Test
    void matchesTheReferenceKernels() {
        for (Conv2d.Geometry g : geometries()) {
            for (boolean withBias : new boolean[] {true, false}) {
                check(g, withBias);
            }
        }
    }

    private void check(Conv2d.Geometry g, boolean withBias) {
        float[] x = randomArray(random, N * g.inputSize());
        float[] w = randomArray(random, g.weightSize());
        float[] b = withBias ? randomArray(random, g.outChannels()) : null;
        float[] dy = randomArray(random, N * g.outputSize());
        float[] absX = abs(x);
        float[] absW = abs(w);
        float[] absB = b == null ? null : abs(b);
        float[] absDy = abs(dy);

        float[] y = new float[N * g.outputSize()];
        float[] yBound = new float[y.length];
        Conv2d.forward(x, w, b, y, g, 0, N);
        Conv2d.forward(absX, absW, absB, yBound, g, 0, N);
        float[] dx = new float[x.length];
        float[] dxBound = new float[x.length];
        Conv2d.backwardInput(dy, w, dx, g, 0, N);
        Conv2d.backwardInput(absDy, absW, dxBound, g, 0, N);
        float[] dw = new float[w.length];
        float[] dwBound = new float[w.length];
        Conv2d.backwardWeight(dy, x, dw, N, g, 0, g.outChannels());
        Conv2d.backwardWeight(absDy, absX, dwBound, N, g, 0, g.outChannels());
        float[] db = new float[g.outChannels()];
        float[] dbBound = new float[db.length];
        Conv2d.backwardBias(dy, db, N, g, 0, g.outChannels());
        Conv2d.backwardBias(absDy, dbBound, N, g, 0, g.outChannels());

        String what = g + (withBias ? " with bias" : " without bias");
        int split = 1 + random.nextInt(N - 1);
        float[] fy = fill(y.length);
        float[] fdx = fill(dx.length);
        float[] fdw = fill(dw.length);
        if (DepthwiseConv2d.isDepthwise(g)) {
            DepthwiseConv2d.Scratch s0 = DepthwiseConv2d.newScratch(g);
            DepthwiseConv2d.Scratch s1 = DepthwiseConv2d.newScratch(g);
            DepthwiseConv2d.forward(x, w, b, fy, g, 0, split, s0);
            DepthwiseConv2d.forward(x, w, b, fy, g, split, N, s1);
            DepthwiseConv2d.backwardInput(dy, w, fdx, g, split, N, s0);
            DepthwiseConv2d.backwardInput(dy, w, fdx, g, 0, split, s1);
            int outSplit = 1 + random.nextInt(g.outChannels() - 1);
            DepthwiseConv2d.backwardWeight(dy, x, fdw, N, g, 0, outSplit, s0);
            DepthwiseConv2d.backwardWeight(dy, x, fdw, N, g, outSplit, g.outChannels(), s1);
            assertClose("depthwise forward " + what, fy, y, yBound);
            assertClose("depthwise input gradient " + what, fdx, dx, dxBound);
            assertClose("depthwise weight gradient " + what, fdw, dw, dwBound);
            // The loops too, where the calls above ran VectorDepthwise; its forward and input gradient must give the
            // loops' bits.
            float[] ly = fill(y.length);
            float[] ldx = fill(dx.length);
            float[] ldw = fill(dw.length);
            DepthwiseConv2d.forwardLoops(x, w, b, ly, g, 0, N, s0);
            DepthwiseConv2d.backwardInputLoops(dy, w, ldx, g, 0, N, s1);
            DepthwiseConv2d.backwardWeightLoops(dy, x, ldw, N, g, 0, g.outChannels(), s1);
            assertClose("depthwise forward (loops) " + what, ly, y, yBound);
            assertClose("depthwise input gradient (loops) " + what, ldx, dx, dxBound);
            assertClose("depthwise weight gradient (loops) " + what, ldw, dw, dwBound);
            if (VectorKernels.AVAILABLE) {
                assertThat(fy).as("depthwise forward, Vector API against loops, " + what).containsExactly(ly);
                assertThat(fdx).as("depthwise input gradient, Vector API against loops, " + what)
                        .containsExactly(ldx);
            }
        }
        // Every geometry, depthwise too, also through im2col + Gemm.
        fy = fill(y.length);
        fdx = fill(dx.length);
        fdw = fill(dw.length);
        FastConv2d.SampleScratch s0 = FastConv2d.newSampleScratch(g);
        FastConv2d.SampleScratch s1 = FastConv2d.newSampleScratch(g);
        FastConv2d.forward(x, w, b, fy, g, 0, split, s0);
        FastConv2d.forward(x, w, b, fy, g, split, N, s1);
        FastConv2d.backwardInput(dy, w, fdx, g, split, N, s0);
        FastConv2d.backwardInput(dy, w, fdx, g, 0, split, s1);
        FastConv2d.WeightGradScratch ws = FastConv2d.newWeightGradScratch(g, N + 1, 2);
        FastConv2d.weightGradPrepare(dy, x, N, g, split, N, ws, 1);
        FastConv2d.weightGradPrepare(dy, x, N, g, 0, split, ws, 0);
        int rows = FastConv2d.weightGradRows(g);
        int rowSplit = rows / 2;
        FastConv2d.weightGradMultiply(fdw, N, g, rowSplit, rows, ws, 1);
        FastConv2d.weightGradMultiply(fdw, N, g, 0, rowSplit, ws, 0);
        assertClose("im2col forward " + what, fy, y, yBound);
        assertClose("col2im input gradient " + what, fdx, dx, dxBound);
        assertClose("im2col weight gradient " + what, fdw, dw, dwBound);

        float[] fdb = fill(db.length);
        int positions = g.outHeight() * g.outWidth();
        float[] acc = new float[positions];
        float[] plane = new float[positions];
        int outSplit = g.outChannels() / 2;
        FastConv2d.backwardBias(dy, fdb, N, g.outChannels(), positions, outSplit, g.outChannels(), acc, plane);
        FastConv2d.backwardBias(dy, fdb, N, g.outChannels(), positions, 0, outSplit, acc, plane);
        assertClose("bias gradient " + what, fdb, db, dbBound);
    }

    /**
     * im2col reads zero-padded copies of the input whose borders are written once (zeros, when the scratch is made)
     * and must never be written again, and writes straight into packed buffers. So one scratch must give the right
     * answer call after call, with new data, other sample counts, and the input gradient run on the same scratch in
     * between.
     */
    @Test
    void scratchReusedAcrossCallsDataAndBatchSizes() {
        for (Conv2d.Geometry g : new Conv2d.Geometry[] {
                new Conv2d.Geometry(16, 14, 14, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1),
                new Conv2d.Geometry(3, 11, 10, 4, 3, 3, 2, 3, 2, 0, 1, 1, 1),
                new Conv2d.Geometry(4, 7, 6, 6, 3, 3, 2, 2, 1, 1, 2, 2, 2)}) {
            int capacity = 7;
            FastConv2d.SampleScratch s = FastConv2d.newSampleScratch(g);
            FastConv2d.WeightGradScratch ws = FastConv2d.newWeightGradScratch(g, capacity, 1);
            for (int n : new int[] {7, 2, 5, 1, 7}) {
                float[] x = randomArray(random, n * g.inputSize());
                float[] w = randomArray(random, g.weightSize());
                float[] b = randomArray(random, g.outChannels());
                float[] dy = randomArray(random, n * g.outputSize());
                float[] y = new float[dy.length];
                float[] yBound = new float[dy.length];
                Conv2d.forward(x, w, b, y, g, 0, n);
                Conv2d.forward(abs(x), abs(w), abs(b), yBound, g, 0, n);
                float[] dx = new float[x.length];
                float[] dxBound = new float[x.length];
                Conv2d.backwardInput(dy, w, dx, g, 0, n);
                Conv2d.backwardInput(abs(dy), abs(w), dxBound, g, 0, n);
                float[] dw = new float[w.length];
                float[] dwBound = new float[w.length];
                Conv2d.backwardWeight(dy, x, dw, n, g, 0, g.outChannels());
                Conv2d.backwardWeight(abs(dy), abs(x), dwBound, n, g, 0, g.outChannels());

                float[] fy = fill(y.length);
                float[] fdx = fill(dx.length);
                float[] fdw = fill(dw.length);
                FastConv2d.forward(x, w, b, fy, g, 0, n, s);
                FastConv2d.backwardInput(dy, w, fdx, g, 0, n, s);
                FastConv2d.weightGradPrepare(dy, x, n, g, 0, n, ws, 0);
                FastConv2d.weightGradMultiply(fdw, n, g, 0, FastConv2d.weightGradRows(g), ws, 0);
                String what = g + ", batch " + n;
                assertClose("forward " + what, fy, y, yBound);
                assertClose("input gradient " + what, fdx, dx, dxBound);
                assertClose("weight gradient " + what, fdw, dw, dwBound);
            }
        }
    }

    @Test
    void weightGradientOfASmallerBatchThanTheCapacity() {
        Conv2d.Geometry g = new Conv2d.Geometry(3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        FastConv2d.WeightGradScratch ws = FastConv2d.newWeightGradScratch(g, 8, 1);
        for (int n : new int[] {8, 2, 5}) {
            float[] x = randomArray(random, n * g.inputSize());
            float[] dy = randomArray(random, n * g.outputSize());
            float[] dw = new float[g.weightSize()];
            float[] bound = new float[dw.length];
            Conv2d.backwardWeight(dy, x, dw, n, g, 0, g.outChannels());
            Conv2d.backwardWeight(abs(dy), abs(x), bound, n, g, 0, g.outChannels());
            float[] fdw = fill(dw.length);
            FastConv2d.weightGradPrepare(dy, x, n, g, 0, n, ws, 0);
            FastConv2d.weightGradMultiply(fdw, n, g, 0, FastConv2d.weightGradRows(g), ws, 0);
            assertClose("weight gradient, batch " + n, fdw, dw, bound);
        }
    }

    @Test
    void kernelsDoNotAllocate() {
        for (Conv2d.Geometry g : new Conv2d.Geometry[] {
                new Conv2d.Geometry(4, 7, 6, 6, 3, 3, 2, 2, 1, 1, 2, 2, 2),
                new Conv2d.Geometry(8, 7, 7, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1),
                new Conv2d.Geometry(3, 9, 8, 6, 3, 3, 2, 2, 1, 1, 1, 1, 3)}) {
            float[] x = randomArray(random, N * g.inputSize());
            float[] w = randomArray(random, g.weightSize());
            float[] b = randomArray(random, g.outChannels());
            float[] y = new float[N * g.outputSize()];
            float[] dy = randomArray(random, y.length);
            float[] dx = new float[x.length];
            float[] dw = new float[w.length];
            float[] db = new float[b.length];
            int positions = g.outHeight() * g.outWidth();
            float[] acc = new float[positions];
            float[] plane = new float[positions];
            FastConv2d.SampleScratch s = FastConv2d.newSampleScratch(g);
            FastConv2d.WeightGradScratch ws = FastConv2d.newWeightGradScratch(g, N, 1);
            int rows = FastConv2d.weightGradRows(g);
            assertNoAllocation("FastConv2d.forward", () -> FastConv2d.forward(x, w, b, y, g, 0, N, s));
            assertNoAllocation("FastConv2d.backwardInput", () -> FastConv2d.backwardInput(dy, w, dx, g, 0, N, s));
            assertNoAllocation("FastConv2d weight gradient", () -> {
                FastConv2d.weightGradPrepare(dy, x, N, g, 0, N, ws, 0);
                FastConv2d.weightGradMultiply(dw, N, g, 0, rows, ws, 0);
            });
            assertNoAllocation("FastConv2d.backwardBias",
                    () -> FastConv2d.backwardBias(dy, db, N, g.outChannels(), positions, 0, g.outChannels(), acc,
                            plane));
            if (DepthwiseConv2d.isDepthwise(g)) {
                DepthwiseConv2d.Scratch d = DepthwiseConv2d.newScratch(g);
                assertNoAllocation("DepthwiseConv2d.forward", () -> DepthwiseConv2d.forward(x, w, b, y, g, 0, N, d));
                assertNoAllocation("DepthwiseConv2d.backwardInput",
                        () -> DepthwiseConv2d.backwardInput(dy, w, dx, g, 0, N, d));
                assertNoAllocation("DepthwiseConv2d.backwardWeight",
                        () -> DepthwiseConv2d.backwardWeight(dy, x, dw, N, g, 0, g.outChannels(), d));
            }
        }
    }

    /** Garbage everywhere, so that an entry a kernel forgets to write fails the comparison. */
    private float[] fill(int length) {
        float[] a = new float[length];
        java.util.Arrays.fill(a, Float.NaN);
        return a;
    }

    private static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            r[k] = Math.abs(a[k]);
        }
        return r;
    }

    private static void assertClose(String what, float[] actual, float[] expected, float[] bound) {
        for (int k = 0; k < expected.length; k++) {
            double tolerance = 1e-5 * (1 + bound[k]);
            if (!(Math.abs(actual[k] - expected[k]) <= tolerance)) {
                fail(what + ": entry " + k + " is " + actual[k] + ", the reference " + expected[k]
                        + " (tolerance " + tolerance + ")");
            }
        }
        assertThat(actual).hasSameSizeAs(expected);
    }
}
