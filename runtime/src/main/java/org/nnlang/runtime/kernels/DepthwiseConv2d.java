package org.nnlang.runtime.kernels;

import java.util.Arrays;

/**
 * Depthwise convolution ({@code groups = C}, {@code O = C·M} for a channel multiplier {@code M}), the maths of
 * {@link Conv2d} (the definition) with loops shaped for C2's vectorizer.
 *
 * <p>Through im2col and a matrix product, a depthwise layer would be {@code C} products of {@code M × KH·KW} by
 * {@code KH·KW × P}: far too small for {@link Gemm}. Directly, one channel is {@code KH·KW} weighted sums of shifted
 * views of one input plane, but a loop {@code y[j] += w·x[j + off]} with an offset into one array and not the other
 * stays scalar (C2 cannot rule out that the arrays overlap; docs/performance.md). So each channel is laid out so that
 * every tap's view is <em>one contiguous run</em>, copied by one {@code System.arraycopy} into a scratch array indexed
 * from 0, and the sums then run as vector loops:
 * <ul>
 *   <li>the zero-padded input plane is split into {@code sH·sW} <em>phase planes</em> (phase {@code (a, b)} holds
 *       padded rows {@code a, a + sH, …} and columns {@code b, b + sW, …}), each {@code PW = ⌈(W + 2pW)/sW⌉} wide;</li>
 *   <li>outputs are computed on an <em>extended grid</em> of {@code OH} rows of {@code PW} (≥ {@code OW}) columns:
 *       output {@code (oh, ow)} sits at {@code q = oh·PW + ow}, and tap {@code (kh, kw)} reads its phase plane at
 *       {@code q + (kh·dH / sH)·PW + kw·dW / sW}: the same offset for every output, so the tap's view of the whole
 *       plane is one run. The extra {@code PW − OW} columns per row compute garbage that is never copied out (and
 *       whose output gradient is held at zero in the backward passes).</li>
 * </ul>
 * <pre>
 *   forward       acc[q] = fma(w₂, tap₂[q], fma(w₁, tap₁[q], fma(w₀, tap₀[q], acc[q])))   (3 taps a pass, from b)
 *   weight grad   acc_{m,tap}[q] = fma(dy_m[q], tap[q], acc_{m,tap}[q]) over the samples, then Σ_q in double
 *   input grad    per phase plane t: dphase[t] = Σ_{m, taps of that phase} w·dy_m[t − off_tap]  (dy padded in front,
 *                 so that each term is again one run), then the phase planes are put back into dx
 * </pre>
 * The forward sums run in the reference's order; the weight gradient sums each position over the samples in float,
 * then positions in double; the input gradient sums over taps and multipliers in another order.
 *
 * <p>Ranges: samples for the forward and the input gradient, output channels for the weight gradient. Each thread
 * passes its own {@link Scratch}; nothing allocates.
 */
public final class DepthwiseConv2d {
    /** Floats past the end of a plane that {@link VectorDepthwise} may read (one 512-bit vector): always zero. */
    static final int PAD = 16;

    private DepthwiseConv2d() {
    }

    /** True when {@code g} is depthwise: each output channel reads exactly one input channel. */
    public static boolean isDepthwise(Conv2d.Geometry g) {
        return g.groups() == g.inChannels();
    }

    /** One thread's scratch: phase planes, tap runs, accumulators, and the output-gradient rows it reads. */
    public static final class Scratch {
        final int phaseWidth;
        final int phaseLength;
        final int extended;
        final int front;
        final int[] tapPhase;
        final int[] tapOffset;
        /**
         * With a stride, input entry {@code splitSources[ph][j]} is phase plane {@code ph}'s entry
         * {@code splitTargets[ph][j]} ({@link #splitTables}).
         */
        final int[][] splitSources;
        final int[][] splitTargets;
        final float[][] phases;
        final float[][] gradPhases;
        final float[][] taps;
        final float[] acc;
        final float[][] dyExtended;
        final float[][] dyPadded;
        final float[][][] weightAcc;
        /** {@link VectorDepthwise}'s weight-gradient accumulators: one vector per multiplier and tap. */
        final float[][] vectorWeightAcc;
        /**
         * The terms of phase plane {@code ph}'s input gradient in the loops' order (taps, then multipliers): term
         * {@code i} is tap {@code phaseTermTaps[ph][i]} of multiplier {@code phaseTermMultipliers[ph][i]}.
         */
        final int[][] phaseTermTaps;
        final int[][] phaseTermMultipliers;

        private Scratch(Conv2d.Geometry g) {
            int sH = g.strideHeight();
            int sW = g.strideWidth();
            int phaseHeight = (g.inHeight() + 2 * g.padHeight() + sH - 1) / sH;
            phaseWidth = (g.inWidth() + 2 * g.padWidth() + sW - 1) / sW;
            phaseLength = (phaseHeight + 1) * phaseWidth;
            extended = g.outHeight() * phaseWidth;
            int taps = g.kernelHeight() * g.kernelWidth();
            int multiplier = g.outChannels() / g.inChannels();
            tapPhase = new int[taps];
            tapOffset = new int[taps];
            int maxOffset = 0;
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                    int k = kh * g.kernelWidth() + kw;
                    int rowShift = kh * g.dilationHeight();
                    int colShift = kw * g.dilationWidth();
                    tapPhase[k] = rowShift % sH * sW + colShift % sW;
                    tapOffset[k] = rowShift / sH * phaseWidth + colShift / sW;
                    maxOffset = Math.max(maxOffset, tapOffset[k]);
                }
            }
            front = maxOffset;
            splitSources = new int[sH * sW][];
            splitTargets = new int[sH * sW][];
            if (sW > 1) {
                splitTables(g, phaseWidth, splitSources, splitTargets);
            }
            // PAD more zeros at the end of the arrays VectorDepthwise reads whole vectors from.
            phases = new float[sH * sW][phaseLength + PAD];
            gradPhases = new float[sH * sW][phaseLength + PAD];
            this.taps = new float[taps][Math.max(extended, phaseLength)];
            acc = new float[extended + PAD];
            dyExtended = new float[multiplier][extended + PAD];
            dyPadded = new float[multiplier][front + phaseLength + 1 + PAD];
            weightAcc = new float[multiplier][taps][extended];
            vectorWeightAcc = new float[multiplier][taps * PAD];
            phaseTermTaps = new int[sH * sW][];
            phaseTermMultipliers = new int[sH * sW][];
            for (int ph = 0; ph < sH * sW; ph++) {
                int count = 0;
                for (int k = 0; k < taps; k++) {
                    count += tapPhase[k] == ph ? multiplier : 0;
                }
                phaseTermTaps[ph] = new int[count];
                phaseTermMultipliers[ph] = new int[count];
                int i = 0;
                for (int k = 0; k < taps; k++) {
                    for (int m = 0; m < multiplier && tapPhase[k] == ph; m++, i++) {
                        phaseTermTaps[ph][i] = k;
                        phaseTermMultipliers[ph][i] = m;
                    }
                }
            }
        }
    }

    /** Scratch for one thread running any of this class's kernels on {@code g}. */
    public static Scratch newScratch(Conv2d.Geometry g) {
        if (!isDepthwise(g)) {
            throw new IllegalArgumentException("not a depthwise convolution: " + g);
        }
        return new Scratch(g);
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of {@code y = conv(x, w) + b} ({@code b} may be null), overwritten: by
     * {@link VectorDepthwise} where the Vector API kernels run ({@link VectorKernels}), with the same sums.
     */
    public static void forward(float[] x, float[] w, float[] b, float[] y, Conv2d.Geometry g, int sampleFrom,
                               int sampleTo, Scratch scratch) {
        if (VectorKernels.AVAILABLE) {
            VectorDepthwise.forward(x, w, b, y, g, sampleFrom, sampleTo, scratch);
        } else {
            forwardLoops(x, w, b, y, g, sampleFrom, sampleTo, scratch);
        }
    }

    /** {@link #forward} on the auto-vectorized loops. */
    static void forwardLoops(float[] x, float[] w, float[] b, float[] y, Conv2d.Geometry g, int sampleFrom,
                             int sampleTo, Scratch scratch) {
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
                loadTaps(x, (s * inC + c) * inPlane, g, scratch);
                for (int m = 0; m < multiplier; m++) {
                    int o = c * multiplier + m;
                    int wo = o * taps;
                    Arrays.fill(acc, 0, ext, b == null ? 0f : b[o]);
                    int k = 0;
                    for (; k + 3 <= taps; k += 3) {
                        fma3(acc, scratch.taps[k], scratch.taps[k + 1], scratch.taps[k + 2], w[wo + k],
                                w[wo + k + 1], w[wo + k + 2], ext);
                    }
                    for (; k < taps; k++) {
                        fma1(acc, scratch.taps[k], w[wo + k], ext);
                    }
                    int yPlane = (s * outC + o) * positions;
                    fromGrid(acc, g, pw, y, yPlane);
                }
            }
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of the input gradient {@code dx}, overwritten: by {@link VectorDepthwise}
     * where the Vector API kernels run, with the same sums.
     */
    public static void backwardInput(float[] dy, float[] w, float[] dx, Conv2d.Geometry g, int sampleFrom,
                                     int sampleTo, Scratch scratch) {
        if (VectorKernels.AVAILABLE) {
            VectorDepthwise.backwardInput(dy, w, dx, g, sampleFrom, sampleTo, scratch);
        } else {
            backwardInputLoops(dy, w, dx, g, sampleFrom, sampleTo, scratch);
        }
    }

    /** {@link #backwardInput} on the auto-vectorized loops. */
    static void backwardInputLoops(float[] dy, float[] w, float[] dx, Conv2d.Geometry g, int sampleFrom,
                                   int sampleTo, Scratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int multiplier = outC / inC;
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final int taps = g.kernelHeight() * g.kernelWidth();
        final int pw = scratch.phaseWidth;
        final int length = scratch.phaseLength;
        final int front = scratch.front;
        final float[] run = scratch.taps[0];
        for (int s = sampleFrom; s < sampleTo; s++) {
            for (int c = 0; c < inC; c++) {
                for (int m = 0; m < multiplier; m++) {
                    int dyPlane = (s * outC + c * multiplier + m) * positions;
                    toGrid(dy, dyPlane, g, pw, scratch.dyPadded[m], front);
                }
                for (int ph = 0; ph < scratch.gradPhases.length; ph++) {
                    float[] grad = scratch.gradPhases[ph];
                    Arrays.fill(grad, 0f);
                    for (int k = 0; k < taps; k++) {
                        if (scratch.tapPhase[k] != ph) {
                            continue;
                        }
                        for (int m = 0; m < multiplier; m++) {
                            // dphase[t] += w · dy[t − off], dy stored from `front`: one run from front − off.
                            System.arraycopy(scratch.dyPadded[m], front - scratch.tapOffset[k], run, 0, length);
                            fma1(grad, run, w[(c * multiplier + m) * taps + k], length);
                        }
                    }
                }
                unsplit(scratch.gradPhases, g, pw, dx, (s * inC + c) * inPlane, scratch);
            }
        }
    }

    /**
     * Output channels {@code [outFrom, outTo)} of the weight gradient summed over {@code n} samples, overwriting
     * {@code dw}'s entries for them: by {@link VectorDepthwise} where the Vector API kernels run (its sums run in
     * another order: per vector lane in float, then over the lanes in double).
     */
    public static void backwardWeight(float[] dy, float[] x, float[] dw, int n, Conv2d.Geometry g, int outFrom,
                                      int outTo, Scratch scratch) {
        if (VectorKernels.AVAILABLE) {
            VectorDepthwise.backwardWeight(dy, x, dw, n, g, outFrom, outTo, scratch);
        } else {
            backwardWeightLoops(dy, x, dw, n, g, outFrom, outTo, scratch);
        }
    }

    /** {@link #backwardWeight} on the auto-vectorized loops. */
    static void backwardWeightLoops(float[] dy, float[] x, float[] dw, int n, Conv2d.Geometry g, int outFrom,
                                    int outTo, Scratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int multiplier = outC / inC;
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final int taps = g.kernelHeight() * g.kernelWidth();
        final int ext = scratch.extended;
        final int pw = scratch.phaseWidth;
        if (outFrom >= outTo) {
            return;
        }
        for (int c = outFrom / multiplier; c <= (outTo - 1) / multiplier; c++) {
            int mFrom = Math.max(outFrom, c * multiplier) - c * multiplier;
            int mTo = Math.min(outTo, (c + 1) * multiplier) - c * multiplier;
            for (int m = mFrom; m < mTo; m++) {
                for (int k = 0; k < taps; k++) {
                    Arrays.fill(scratch.weightAcc[m][k], 0, ext, 0f);
                }
            }
            for (int s = 0; s < n; s++) {
                loadTaps(x, (s * inC + c) * inPlane, g, scratch);
                for (int m = mFrom; m < mTo; m++) {
                    // The extra columns of each row stay 0: nothing ever writes them.
                    float[] row = scratch.dyExtended[m];
                    int dyPlane = (s * outC + c * multiplier + m) * positions;
                    toGrid(dy, dyPlane, g, pw, row, 0);
                    for (int k = 0; k < taps; k++) {
                        fmaProduct(scratch.weightAcc[m][k], row, scratch.taps[k], ext);
                    }
                }
            }
            for (int m = mFrom; m < mTo; m++) {
                int wo = (c * multiplier + m) * taps;
                for (int k = 0; k < taps; k++) {
                    float[] a = scratch.weightAcc[m][k];
                    double sum = 0;
                    for (int q = 0; q < ext; q++) {
                        sum += a[q];
                    }
                    dw[wo + k] = (float) sum;
                }
            }
        }
    }

    /** Splits the plane at {@code plane} into the phase planes, then copies each tap's run. */
    private static void loadTaps(float[] x, int plane, Conv2d.Geometry g, Scratch scratch) {
        split(x, plane, g, scratch.phaseWidth, scratch.phases, scratch);
        int ext = scratch.extended;
        for (int k = 0; k < scratch.taps.length; k++) {
            System.arraycopy(scratch.phases[scratch.tapPhase[k]], scratch.tapOffset[k], scratch.taps[k], 0, ext);
        }
    }

    /**
     * Padded row {@code r = ih + pH}, column {@code col = iw + pW} goes to phase {@code (r mod sH, col mod sW)} at
     * {@code (r / sH)·PW + col / sW}. The padding entries are never written, so they stay 0.
     */
    static void split(float[] x, int plane, Conv2d.Geometry g, int pw, float[][] phases, Scratch scratch) {
        if (g.strideWidth() > 1) {
            for (int ph = 0; ph < phases.length; ph++) {
                gather(x, plane, scratch.splitSources[ph], phases[ph], scratch.splitTargets[ph]);
            }
            return;
        }
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        for (int ih = 0; ih < inH; ih++) {
            int r = ih + g.padHeight();
            int src = plane + ih * inW;
            for (int bPhase = 0; bPhase < sW; bPhase++) {
                float[] dst = phases[r % sH * sW + bPhase];
                int iw = Math.floorMod(bPhase - g.padWidth(), sW);
                int d = r / sH * pw + (iw + g.padWidth()) / sW;
                if (sW == 1) {
                    copy(x, src, dst, d, inW);
                } else {
                    for (; iw < inW; iw += sW, d++) {
                        dst[d] = x[src + iw];
                    }
                }
            }
        }
    }

    /** The reverse of {@link #split}: the real (unpadded) entries of the phase planes into the plane at {@code plane}. */
    static void unsplit(float[][] phases, Conv2d.Geometry g, int pw, float[] dx, int plane,
                                Scratch scratch) {
        if (g.strideWidth() > 1) {
            for (int ph = 0; ph < phases.length; ph++) {
                gather(phases[ph], 0, scratch.splitTargets[ph], dx, scratch.splitSources[ph], plane);
            }
            return;
        }
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        for (int ih = 0; ih < inH; ih++) {
            int r = ih + g.padHeight();
            int dst = plane + ih * inW;
            for (int bPhase = 0; bPhase < sW; bPhase++) {
                float[] src = phases[r % sH * sW + bPhase];
                int iw = Math.floorMod(bPhase - g.padWidth(), sW);
                int d = r / sH * pw + (iw + g.padWidth()) / sW;
                if (sW == 1) {
                    copy(src, d, dx, dst, inW);
                } else {
                    for (; iw < inW; iw += sW, d++) {
                        dx[dst + iw] = src[d];
                    }
                }
            }
        }
    }

    /**
     * The tables {@link #split} and {@link #unsplit} follow with a stride above 1: for each phase plane, the plane
     * offsets of the input entries it holds and where it holds them. Walking a table is one long loop per phase; the
     * row-by-row split it replaces ran loops of {@code W/sW} entries (7 to 14 here), whose start and end cost more
     * than the copying (measured: the split was most of this kernel's time on stride-2 layers).
     */
    private static void splitTables(Conv2d.Geometry g, int pw, int[][] sources, int[][] targets) {
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        int[] counts = new int[sources.length];
        for (int pass = 0; pass < 2; pass++) {
            for (int ph = 0; ph < sources.length; ph++) {
                if (pass == 0) {
                    counts[ph] = 0;
                } else {
                    sources[ph] = new int[counts[ph]];
                    targets[ph] = new int[counts[ph]];
                    counts[ph] = 0;
                }
            }
            for (int ih = 0; ih < g.inHeight(); ih++) {
                int r = ih + g.padHeight();
                for (int iw = 0; iw < g.inWidth(); iw++) {
                    int col = iw + g.padWidth();
                    int ph = r % sH * sW + col % sW;
                    if (pass == 1) {
                        sources[ph][counts[ph]] = ih * g.inWidth() + iw;
                        targets[ph][counts[ph]] = r / sH * pw + col / sW;
                    }
                    counts[ph]++;
                }
            }
        }
    }

    /** {@code dst[dstOff + to[j]] = src[srcOff + from[j]]} for every {@code j}. */
    private static void gather(float[] src, int srcOff, int[] from, float[] dst, int[] to, int dstOff) {
        for (int j = 0; j < from.length; j++) {
            dst[dstOff + to[j]] = src[srcOff + from[j]];
        }
    }

    /** {@code dst[to[j]] = src[srcOff + from[j]]} for every {@code j}. */
    private static void gather(float[] src, int srcOff, int[] from, float[] dst, int[] to) {
        gather(src, srcOff, from, dst, to, 0);
    }

    /**
     * The output-shaped plane at {@code plane} ({@code OH × OW}) into the extended grid from {@code at}: row
     * {@code oh} to {@code grid[at + oh·pw …]}. The grid's extra columns are not written.
     */
    static void toGrid(float[] src, int plane, Conv2d.Geometry g, int pw, float[] grid, int at) {
        for (int oh = 0; oh < g.outHeight(); oh++) {
            copy(src, plane + oh * g.outWidth(), grid, at + oh * pw, g.outWidth());
        }
    }

    /** The reverse of {@link #toGrid} from offset 0: the grid's real entries into the plane at {@code plane}. */
    static void fromGrid(float[] grid, Conv2d.Geometry g, int pw, float[] dst, int plane) {
        for (int oh = 0; oh < g.outHeight(); oh++) {
            copy(grid, oh * pw, dst, plane + oh * g.outWidth(), g.outWidth());
        }
    }

    private static void copy(float[] src, int srcOff, float[] dst, int dstOff, int length) {
        if (length >= 16) {
            System.arraycopy(src, srcOff, dst, dstOff, length);
        } else {
            for (int j = 0; j < length; j++) {
                dst[dstOff + j] = src[srcOff + j];
            }
        }
    }

    // The vector loops: every array indexed by p alone, small bodies (docs/performance.md).

    private static void fma3(float[] acc, float[] t0, float[] t1, float[] t2, float w0, float w1, float w2, int n) {
        for (int p = 0; p < n; p++) {
            acc[p] = Math.fma(w2, t2[p], Math.fma(w1, t1[p], Math.fma(w0, t0[p], acc[p])));
        }
    }

    private static void fma1(float[] acc, float[] t, float w, int n) {
        for (int p = 0; p < n; p++) {
            acc[p] = Math.fma(w, t[p], acc[p]);
        }
    }

    private static void fmaProduct(float[] acc, float[] a, float[] b, int n) {
        for (int p = 0; p < n; p++) {
            acc[p] = Math.fma(a[p], b[p], acc[p]);
        }
    }
}
