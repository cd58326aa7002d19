package org.nnlang.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseConv2d}'s forward pass and gradients on the JDK's Vector API, used where {@link VectorGemm}
 * is ({@link VectorKernels}); the layout (phase planes, extended output grid) is {@link DepthwiseConv2d}'s.
 *
 * <p>The loops there must copy each tap's view of a phase plane into an array of its own (C2 vectorizes only loops
 * whose arrays are all indexed by the loop variable), and keep their sums in arrays: the forward pass adds three taps
 * at a time into an accumulator row, the weight gradient keeps one accumulator row per tap. Vectors can be loaded
 * at any offset, so here every tap is read straight from its phase plane, and the sums stay in registers:
 * <pre>
 *   forward       for each vector of outputs q:  v = b;  for each tap k: v = fma(w_k, phase_k[off_k + q], v);  y[q] = v
 *   weight grad   for each vector of positions q, per group of three taps:  a_k = fma(dy[q], phase_k[off_k + q], a_k)
 *   input grad    for each vector of a phase plane t:  v = 0;  per tap of that phase, per multiplier m:
 *                 v = fma(w, dy_m[t − off_k], v);  dphase[t] = v
 * </pre>
 * The forward and input-gradient sums are the loops' (bias or zero first, taps in order, one rounding per fused
 * multiply-add), so they give the same bits. The weight gradient sums each lane over the samples and its positions in float, then the lanes in
 * double, where the loops sum each position over the samples in float, then the positions in double.
 *
 * <p>Whole vectors run past the end of a plane's outputs; the scratch arrays have {@link DepthwiseConv2d#PAD} zeros
 * there, and the output grid's extra columns hold garbage that is never copied out (forward) or zeros (the output
 * gradient's), as in {@link DepthwiseConv2d}.
 */
final class VectorDepthwise {
    private static final VectorSpecies<Float> S = VectorGemm.S;
    private static final int LANES = VectorGemm.LANES;

    private VectorDepthwise() {
    }

    /** As {@link DepthwiseConv2d#forward}. */
    static void forward(float[] x, float[] w, float[] b, float[] y, Conv2d.Geometry g, int sampleFrom, int sampleTo,
                        DepthwiseConv2d.Scratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int multiplier = outC / inC;
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final int taps = g.kernelHeight() * g.kernelWidth();
        final int ext = scratch.extended;
        final int pw = scratch.phaseWidth;
        final float[] acc = scratch.acc;
        for (int s = sampleFrom; s < sampleTo; s++) {
            for (int c = 0; c < inC; c++) {
                DepthwiseConv2d.split(x, (s * inC + c) * inPlane, g, pw, scratch.phases, scratch);
                for (int m = 0; m < multiplier; m++) {
                    int o = c * multiplier + m;
                    float bias = b == null ? 0f : b[o];
                    outputs(w, o * taps, taps, scratch, bias, acc, ext);
                    int yPlane = (s * outC + o) * positions;
                    DepthwiseConv2d.fromGrid(acc, g, pw, y, yPlane);
                }
            }
        }
    }

    /**
     * {@code acc[q]} for the extended grid's {@code ext} outputs: the bias, then every tap's weight times its view, in
     * tap order. The vector stays a local of this loop: returned from a method of its own, C2 boxed every one.
     */
    private static void outputs(float[] w, int wo, int taps, DepthwiseConv2d.Scratch scratch, float bias, float[] acc,
                                int ext) {
        for (int q = 0; q < ext; q += LANES) {
            FloatVector v = FloatVector.broadcast(S, bias);
            for (int k = 0; k < taps; k++) {
                FloatVector view = FloatVector.fromArray(S, scratch.phases[scratch.tapPhase[k]],
                        scratch.tapOffset[k] + q);
                v = FloatVector.broadcast(S, w[wo + k]).fma(view, v);
            }
            v.intoArray(acc, q);
        }
    }

    /** As {@link DepthwiseConv2d#backwardInput}. */
    static void backwardInput(float[] dy, float[] w, float[] dx, Conv2d.Geometry g, int sampleFrom, int sampleTo,
                              DepthwiseConv2d.Scratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int multiplier = outC / inC;
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final int pw = scratch.phaseWidth;
        final int front = scratch.front;
        for (int s = sampleFrom; s < sampleTo; s++) {
            for (int c = 0; c < inC; c++) {
                for (int m = 0; m < multiplier; m++) {
                    int dyPlane = (s * outC + c * multiplier + m) * positions;
                    DepthwiseConv2d.toGrid(dy, dyPlane, g, pw, scratch.dyPadded[m], front);
                }
                for (int ph = 0; ph < scratch.gradPhases.length; ph++) {
                    phaseGradient(w, c * multiplier, g.kernelHeight() * g.kernelWidth(), ph, scratch);
                }
                DepthwiseConv2d.unsplit(scratch.gradPhases, g, pw, dx, (s * inC + c) * inPlane, scratch);
            }
        }
    }

    /**
     * Phase plane {@code ph} of the input gradient: {@code dphase[t] = Σ w · dy_m[t − off]} over the taps of that
     * phase and the multipliers, in the loops' order ({@code dy_m} stored from {@code front}). One loop over the
     * phase's terms: with a loop over taps around one over multipliers, C2 boxed the running vector.
     */
    private static void phaseGradient(float[] w, int firstOut, int taps, int ph, DepthwiseConv2d.Scratch scratch) {
        float[] grad = scratch.gradPhases[ph];
        int[] termTaps = scratch.phaseTermTaps[ph];
        int[] termMultipliers = scratch.phaseTermMultipliers[ph];
        for (int t = 0; t < scratch.phaseLength; t += LANES) {
            FloatVector v = FloatVector.zero(S);
            for (int i = 0; i < termTaps.length; i++) {
                int k = termTaps[i];
                int m = termMultipliers[i];
                int from = scratch.front - scratch.tapOffset[k] + t;
                FloatVector view = FloatVector.fromArray(S, scratch.dyPadded[m], from);
                v = FloatVector.broadcast(S, w[(firstOut + m) * taps + k]).fma(view, v);
            }
            v.intoArray(grad, t);
        }
    }

    /** As {@link DepthwiseConv2d#backwardWeight}. */
    static void backwardWeight(float[] dy, float[] x, float[] dw, int n, Conv2d.Geometry g, int outFrom, int outTo,
                               DepthwiseConv2d.Scratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int multiplier = outC / inC;
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final int taps = g.kernelHeight() * g.kernelWidth();
        final int pw = scratch.phaseWidth;
        if (outFrom >= outTo) {
            return;
        }
        for (int c = outFrom / multiplier; c <= (outTo - 1) / multiplier; c++) {
            int mFrom = Math.max(outFrom, c * multiplier) - c * multiplier;
            int mTo = Math.min(outTo, (c + 1) * multiplier) - c * multiplier;
            for (int m = mFrom; m < mTo; m++) {
                Arrays.fill(scratch.vectorWeightAcc[m], 0f);
            }
            for (int s = 0; s < n; s++) {
                DepthwiseConv2d.split(x, (s * inC + c) * inPlane, g, pw, scratch.phases, scratch);
                for (int m = mFrom; m < mTo; m++) {
                    // The extra columns of each row, and the PAD after the last, stay 0: nothing ever writes them.
                    float[] row = scratch.dyExtended[m];
                    int dyPlane = (s * outC + c * multiplier + m) * positions;
                    DepthwiseConv2d.toGrid(dy, dyPlane, g, pw, row, 0);
                    int k = 0;
                    for (; k + 3 <= taps; k += 3) {
                        accumulate3(row, scratch, k, scratch.vectorWeightAcc[m]);
                    }
                    for (; k < taps; k++) {
                        accumulate1(row, scratch, k, scratch.vectorWeightAcc[m]);
                    }
                }
            }
            for (int m = mFrom; m < mTo; m++) {
                int wo = (c * multiplier + m) * taps;
                for (int k = 0; k < taps; k++) {
                    dw[wo + k] = (float) sumLanes(scratch.vectorWeightAcc[m], k * LANES);
                }
            }
        }
    }

    /** Taps {@code k, k+1, k+2}: {@code acc_t += Σ_q dy[q] · view_t[q]} lane by lane, in three registers. */
    private static void accumulate3(float[] dyRow, DepthwiseConv2d.Scratch scratch, int k, float[] acc) {
        float[] p0 = scratch.phases[scratch.tapPhase[k]];
        float[] p1 = scratch.phases[scratch.tapPhase[k + 1]];
        float[] p2 = scratch.phases[scratch.tapPhase[k + 2]];
        int o0 = scratch.tapOffset[k];
        int o1 = scratch.tapOffset[k + 1];
        int o2 = scratch.tapOffset[k + 2];
        FloatVector a0 = FloatVector.fromArray(S, acc, k * LANES);
        FloatVector a1 = FloatVector.fromArray(S, acc, (k + 1) * LANES);
        FloatVector a2 = FloatVector.fromArray(S, acc, (k + 2) * LANES);
        for (int q = 0; q < scratch.extended; q += LANES) {
            FloatVector d = FloatVector.fromArray(S, dyRow, q);
            a0 = d.fma(FloatVector.fromArray(S, p0, o0 + q), a0);
            a1 = d.fma(FloatVector.fromArray(S, p1, o1 + q), a1);
            a2 = d.fma(FloatVector.fromArray(S, p2, o2 + q), a2);
        }
        a0.intoArray(acc, k * LANES);
        a1.intoArray(acc, (k + 1) * LANES);
        a2.intoArray(acc, (k + 2) * LANES);
    }

    /** As {@link #accumulate3} for tap {@code k} alone. */
    private static void accumulate1(float[] dyRow, DepthwiseConv2d.Scratch scratch, int k, float[] acc) {
        float[] p0 = scratch.phases[scratch.tapPhase[k]];
        int o0 = scratch.tapOffset[k];
        FloatVector a0 = FloatVector.fromArray(S, acc, k * LANES);
        for (int q = 0; q < scratch.extended; q += LANES) {
            a0 = FloatVector.fromArray(S, dyRow, q).fma(FloatVector.fromArray(S, p0, o0 + q), a0);
        }
        a0.intoArray(acc, k * LANES);
    }

    /** The lanes of the vector at {@code from}, summed in double. */
    private static double sumLanes(float[] acc, int from) {
        double sum = 0;
        for (int lane = 0; lane < LANES; lane++) {
            sum += acc[from + lane];
        }
        return sum;
    }
}
