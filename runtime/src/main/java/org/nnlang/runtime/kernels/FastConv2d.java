package org.nnlang.runtime.kernels;

import java.util.Arrays;

/**
 * The convolution of {@link Conv2d} (which stays its definition) computed as matrix products on {@link Gemm}:
 * im2col for the forward pass and the weight gradient, im2col's adjoint (col2im) for the input gradient.
 *
 * <h2>The products</h2>
 * For group {@code g} ({@code Cg = C/G} input channels, {@code Og = O/G} outputs, {@code Kg = Cg·KH·KW} taps) and
 * {@code P = OH·OW} output positions, the <em>column matrix</em> of a sample holds, in row {@code (c, kh, kw)} and
 * column {@code (oh, ow)}, the input value tap {@code (kh, kw)} of channel {@code c} reads for that output
 * (0 in the padding). The weight {@code [O, Cg, KH, KW]} is already an {@code O × Kg} row-major matrix, so:
 * <pre>
 *   forward       y_s[Og × P]      = b + W_g[Og × Kg] · col_s[Kg × P]          A = W_g,  packed B = col
 *   input grad    dcol_s[Kg × P]   = W_gᵀ[Kg × Og] · dy_s[Og × P];  dx = col2im(dcol)   A = W_g read transposed
 *   weight grad   dW_g[Og × Kg]    = dy[Og × N·P] · colᵀ[N·P × Kg]                  (when Kg ≥ Og)
 *             or  dW_gᵀ[Kg × Og]   = col[Kg × N·P] · dyᵀ[N·P × Og], transposed back  (when Kg < Og)
 * </pre>
 * The vector loop of {@link Gemm}'s micro-kernel runs along the columns of C, and C2 only vectorizes it well when
 * that row is long (docs/performance.md). So the forward and input gradient put several samples side by side in
 * one product when a sample has few output positions ({@link #samplesPerProduct}: at least {@link #MIN_COLUMNS}
 * columns), and the weight gradient puts the longer of {@code Kg} and {@code Og} along the columns. A 1×1 convolution
 * with stride 1 and no padding needs no im2col: the input plane already is the column matrix.
 *
 * <h2>Building the column matrix</h2>
 * Copying the column matrix is most of what is not multiplying, so:
 * <ul>
 *   <li>each sample's input channels are first copied into a zero-padded plane ({@link #pad}: {@code H + 2pH} rows
 *       of {@code W + 2pW}; the border is never written, so it stays zero). Then no tap of any output position
 *       reads outside it: row {@code (c, kh, kw)} of the column matrix is one loop over all {@code P} positions
 *       through a table of their offsets ({@link #positionOffsets}), and row {@code r} of {@code colᵀ} one loop
 *       over all {@code Kg} taps through a table of theirs ({@link #tapOffsets}). Loops over the 7 to 14 entries of
 *       one output row, with the padding cut out, spent more on starting and ending than on copying;</li>
 *   <li>the result is written straight into the {@link Gemm.PackedB} its product reads, not built elsewhere and
 *       packed: the forward's {@code col} when a product's columns fit one packed block ({@code ≤} {@link Gemm#NC};
 *       {@link #samplesPerProduct} keeps them there when a sample fits), and the weight gradient's {@code colᵀ}
 *       ({@link #im2row}) when {@code Kg ≤ NC}; building {@code colᵀ} directly also saves the transposing copy
 *       of {@code col}. Other shapes build {@code col} in a plain array and pack it.</li>
 * </ul>
 * col2im adds each row of the column-matrix gradient into dx run by run (a table-driven version measured slower).
 *
 * <h2>Sums and contract</h2>
 * Forward sums start from the bias and run over {@code (c, kh, kw)} in index order like {@link Conv2d}'s, with one
 * rounding per fused multiply-add. The weight gradient sums over {@code N·P} terms in float (the reference sums in
 * double), so it differs from {@link Conv2d} by a few units in the last place times the square root of the number of
 * terms. Nothing here allocates: the {@code new…Scratch} methods are called once when a step is bound, one sample
 * scratch per thread. The forward and input gradient take ranges of samples; the weight gradient runs in two
 * phases, {@link #weightGradPrepare} over ranges of samples and {@link #weightGradMultiply} over ranges of the rows
 * of its product (output channels, or taps when {@code Kg < Og}), each writing only its own range.
 */
public final class FastConv2d {
    /** Columns a product should have at least before samples are no longer put side by side in it. */
    public static final int MIN_COLUMNS = 256;

    private FastConv2d() {
    }

    /** True for a 1×1 convolution with stride 1 and no padding: its input plane is its column matrix. */
    public static boolean isPointwise(Conv2d.Geometry g) {
        return g.kernelHeight() == 1 && g.kernelWidth() == 1 && g.strideHeight() == 1 && g.strideWidth() == 1
                && g.padHeight() == 0 && g.padWidth() == 0;
    }

    /**
     * How many samples share one product in the forward and input gradient: enough for {@link #MIN_COLUMNS}, but no
     * more than fit one packed block of {@link Gemm#NC} columns (so that im2col can write the block in place).
     */
    public static int samplesPerProduct(Conv2d.Geometry g) {
        int positions = g.outHeight() * g.outWidth();
        int wanted = (MIN_COLUMNS + positions - 1) / positions;
        return Math.max(1, Math.min(wanted, Gemm.NC / positions));
    }

    private static int paddedWidth(Conv2d.Geometry g) {
        return g.inWidth() + 2 * g.padWidth();
    }

    /** Floats of one zero-padded input plane. */
    static int paddedPlane(Conv2d.Geometry g) {
        return (g.inHeight() + 2 * g.padHeight()) * paddedWidth(g);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Forward and input gradient

    /**
     * One thread's scratch for {@link #forward} and {@link #backwardInput}: column buffer, packed B, C tile, the
     * zero-padded input planes of one sample's group of channels (whose border is never written), and the table of
     * {@link #positionOffsets}.
     */
    public static final class SampleScratch {
        final int samples;
        final float[] col;
        final float[] out;
        final float[] padded;
        final int[] positionOffsets;
        final Gemm.PackedB packed;
        final float[][] tile;

        private SampleScratch(Conv2d.Geometry g) {
            samples = samplesPerProduct(g);
            int columns = samples * g.outHeight() * g.outWidth();
            int kg = kg(g);
            int og = g.outChannels() / g.groups();
            col = new float[kg * columns];
            out = new float[og * columns];
            int cg = g.inChannels() / g.groups();
            padded = new float[cg * paddedPlane(g)];
            positionOffsets = positionOffsets(g);
            packed = Gemm.newPackedB(Math.max(kg, og), columns);
            tile = Gemm.newTile();
        }
    }

    /** Scratch for one thread running {@link #forward} or {@link #backwardInput} on geometry {@code g}. */
    public static SampleScratch newSampleScratch(Conv2d.Geometry g) {
        return new SampleScratch(g);
    }

    /** Samples {@code [sampleFrom, sampleTo)} of {@code y = conv(x, w) + b} ({@code b} may be null), overwritten. */
    public static void forward(float[] x, float[] w, float[] b, float[] y, Conv2d.Geometry g, int sampleFrom,
                               int sampleTo, SampleScratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int groups = g.groups();
        final int cg = inC / groups;
        final int og = outC / groups;
        final int kg = kg(g);
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final boolean pointwise = isPointwise(g);
        for (int s = sampleFrom; s < sampleTo; s += scratch.samples) {
            int count = Math.min(scratch.samples, sampleTo - s);
            int n = count * positions;
            for (int gi = 0; gi < groups; gi++) {
                Gemm.PackedB packed = scratch.packed;
                if (pointwise && count == 1) {
                    // The input plane is the column matrix: pack it straight from x.
                    Gemm.pack(x, (s * inC + gi * cg) * inPlane, inPlane, false, kg, n, packed, 0, kg);
                } else if (n <= Gemm.NC) {
                    // One packed block: im2col writes it in place, sample t from column t·P.
                    for (int t = 0; t < count; t++) {
                        im2colPacked(x, ((s + t) * inC + gi * cg) * inPlane, cg, g, scratch.padded,
                                scratch.positionOffsets, packed, t * positions);
                    }
                } else {
                    for (int t = 0; t < count; t++) {
                        im2col(x, ((s + t) * inC + gi * cg) * inPlane, cg, g, scratch.padded,
                                scratch.positionOffsets, scratch.col, t * positions, n);
                    }
                    Gemm.pack(scratch.col, 0, n, false, kg, n, packed, 0, kg);
                }
                float[] c;
                int cOff;
                int ldc;
                if (count == 1) {
                    c = y;
                    cOff = (s * outC + gi * og) * positions;
                    ldc = positions;
                } else {
                    c = scratch.out;
                    cOff = 0;
                    ldc = n;
                }
                for (int o = 0; o < og; o++) {
                    int row = cOff + o * ldc;
                    Arrays.fill(c, row, row + n, b == null ? 0f : b[gi * og + o]);
                }
                Gemm.multiply(w, gi * og * kg, kg, false, packed, kg, n, c, cOff, ldc, null, true,
                        0, og, 0, n, scratch.tile);
                if (count > 1) {
                    for (int t = 0; t < count; t++) {
                        for (int o = 0; o < og; o++) {
                            System.arraycopy(c, o * n + t * positions, y,
                                    ((s + t) * outC + gi * og + o) * positions, positions);
                        }
                    }
                }
            }
        }
    }

    /** Samples {@code [sampleFrom, sampleTo)} of the input gradient {@code dx}, overwritten. */
    public static void backwardInput(float[] dy, float[] w, float[] dx, Conv2d.Geometry g, int sampleFrom,
                                     int sampleTo, SampleScratch scratch) {
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int groups = g.groups();
        final int cg = inC / groups;
        final int og = outC / groups;
        final int kg = kg(g);
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final boolean pointwise = isPointwise(g);
        for (int s = sampleFrom; s < sampleTo; s += scratch.samples) {
            int count = Math.min(scratch.samples, sampleTo - s);
            int n = count * positions;
            boolean direct = pointwise && count == 1;
            if (!direct) {
                Arrays.fill(dx, s * inC * inPlane, (s + count) * inC * inPlane, 0f);
            }
            for (int gi = 0; gi < groups; gi++) {
                float[] bSrc;
                int bOff;
                int ldb;
                if (count == 1) {
                    bSrc = dy;
                    bOff = (s * outC + gi * og) * positions;
                    ldb = positions;
                } else {
                    for (int t = 0; t < count; t++) {
                        for (int o = 0; o < og; o++) {
                            System.arraycopy(dy, ((s + t) * outC + gi * og + o) * positions, scratch.out,
                                    o * n + t * positions, positions);
                        }
                    }
                    bSrc = scratch.out;
                    bOff = 0;
                    ldb = n;
                }
                Gemm.pack(bSrc, bOff, ldb, false, og, n, scratch.packed, 0, og);
                if (direct) {
                    Gemm.multiply(w, gi * og * kg, kg, true, scratch.packed, og, n, dx,
                            (s * inC + gi * cg) * inPlane, inPlane, null, false, 0, kg, 0, n, scratch.tile);
                } else {
                    Gemm.multiply(w, gi * og * kg, kg, true, scratch.packed, og, n, scratch.col, 0, n, null, false,
                            0, kg, 0, n, scratch.tile);
                    for (int t = 0; t < count; t++) {
                        col2im(scratch.col, t * positions, n, cg, g, dx, ((s + t) * inC + gi * cg) * inPlane);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Weight gradient

    /**
     * Scratch of one weight-gradient step, for batches of up to {@code batchCapacity} samples: the whole batch's
     * column matrix, the gathered output gradient, the packed B of each group, and per part (thread) a tile and
     * phase planes.
     */
    public static final class WeightGradScratch {
        final boolean tapsAlongColumns;
        /** colᵀ is gathered straight into {@link #packed} ({@link #im2row}), with no {@link #colAll}. */
        final boolean rowsInPlace;
        final int capacity;
        final float[] colAll;
        final float[] dyAll;
        final float[] transposed;
        final Gemm.PackedB[] packed;
        final float[][][] tiles;
        /** Per part: one sample's zero-padded input planes (all channels; the border is never written). */
        final float[][] padded;
        final int[] tapOffsets;
        final int[] positionOffsets;

        private WeightGradScratch(Conv2d.Geometry g, int batchCapacity, int parts) {
            int kg = kg(g);
            int og = g.outChannels() / g.groups();
            int groups = g.groups();
            int columns = batchCapacity * g.outHeight() * g.outWidth();
            tapsAlongColumns = kg >= og;
            rowsInPlace = tapsAlongColumns && kg <= Gemm.NC;
            capacity = batchCapacity;
            colAll = new float[rowsInPlace ? 0 : groups * kg * columns];
            dyAll = tapsAlongColumns ? new float[g.outChannels() * columns] : new float[0];
            transposed = tapsAlongColumns ? new float[0] : new float[groups * kg * og];
            packed = new Gemm.PackedB[groups];
            for (int gi = 0; gi < groups; gi++) {
                packed[gi] = tapsAlongColumns ? Gemm.newPackedB(columns, kg) : Gemm.newPackedB(columns, og);
            }
            tapOffsets = tapOffsets(g);
            positionOffsets = positionOffsets(g);
            tiles = new float[parts][][];
            padded = new float[parts][];
            for (int q = 0; q < parts; q++) {
                tiles[q] = Gemm.newTile();
                padded[q] = new float[g.inChannels() * paddedPlane(g)];
            }
        }
    }

    /** Scratch for the weight gradient of {@code g} for up to {@code batchCapacity} samples and {@code parts} threads. */
    public static WeightGradScratch newWeightGradScratch(Conv2d.Geometry g, int batchCapacity, int parts) {
        return new WeightGradScratch(g, batchCapacity, parts);
    }

    /**
     * The rows {@link #weightGradMultiply} splits: {@code O} (output channels) when {@code Kg ≥ Og}, otherwise
     * {@code G·Kg} (input taps; the result is transposed into {@code dw} row by row).
     */
    public static int weightGradRows(Conv2d.Geometry g) {
        int og = g.outChannels() / g.groups();
        int kg = kg(g);
        return kg >= og ? g.outChannels() : g.groups() * kg;
    }

    /**
     * Phase 1 of the weight gradient, samples {@code [sampleFrom, sampleTo)} of a batch of {@code n}: their rows of
     * the packed B (through the batch's column matrix, unless built in place) and their columns of the gathered
     * {@code dy}. {@code part} picks the padded planes: one set per thread (the caller passes its thread's index), so
     * that parts on the same thread reuse them; parts must run on disjoint samples.
     */
    public static void weightGradPrepare(float[] dy, float[] x, int n, Conv2d.Geometry g, int sampleFrom,
                                         int sampleTo, WeightGradScratch scratch, int part) {
        if (n > scratch.capacity) {
            throw new IllegalArgumentException("batch " + n + " exceeds the scratch's " + scratch.capacity);
        }
        final int inC = g.inChannels();
        final int outC = g.outChannels();
        final int groups = g.groups();
        final int cg = inC / groups;
        final int og = outC / groups;
        final int kg = kg(g);
        final int inPlane = g.inHeight() * g.inWidth();
        final int positions = g.outHeight() * g.outWidth();
        final int np = n * positions;
        for (int s = sampleFrom; s < sampleTo; s++) {
            int r0 = s * positions;
            int r1 = r0 + positions;
            float[] padded = scratch.padded[part];
            if (scratch.rowsInPlace) {
                // B = colᵀ, gathered in place: one pass over the sample instead of im2col and a transposing copy.
                for (int gi = 0; gi < groups; gi++) {
                    im2row(x, (s * inC + gi * cg) * inPlane, cg, g, padded, scratch.tapOffsets,
                            scratch.positionOffsets, scratch.packed[gi], r0);
                }
            } else {
                // Rows (c, kh, kw) over all groups, columns (sample, position): row stride N·P.
                im2col(x, s * inC * inPlane, inC, g, padded, scratch.positionOffsets, scratch.colAll, r0, np);
                for (int gi = 0; gi < groups; gi++) {
                    if (scratch.tapsAlongColumns) {
                        // B = colᵀ [N·P × Kg]: B[r, j] = colAll[(g·Kg + j)·NP + r].
                        Gemm.pack(scratch.colAll, gi * kg * np, np, true, np, kg, scratch.packed[gi], r0, r1);
                    } else {
                        // B = dyᵀ [N·P × Og]: B[s·P + p, o] = dy[(s·O + g·Og + o)·P + p]
                        //                                   = dy[bOff + o·P + (s·P + p)].
                        int bOff = s * outC * positions + gi * og * positions - s * positions;
                        Gemm.pack(dy, bOff, positions, true, np, og, scratch.packed[gi], r0, r1);
                    }
                }
            }
            if (scratch.tapsAlongColumns) {
                for (int o = 0; o < outC; o++) {
                    System.arraycopy(dy, (s * outC + o) * positions, scratch.dyAll, o * np + s * positions,
                            positions);
                }
            }
        }
    }

    /**
     * Phase 2 of the weight gradient of a batch of {@code n}, after {@link #weightGradPrepare} covered every sample:
     * rows {@code [rowFrom, rowTo)} of {@link #weightGradRows}, overwriting the entries of {@code dw} they hold,
     * with part {@code part}'s tile.
     */
    public static void weightGradMultiply(float[] dw, int n, Conv2d.Geometry g, int rowFrom, int rowTo,
                                          WeightGradScratch scratch, int part) {
        final int groups = g.groups();
        final int og = g.outChannels() / groups;
        final int kg = kg(g);
        final int np = n * g.outHeight() * g.outWidth();
        final int m = scratch.tapsAlongColumns ? og : kg;
        float[][] tile = scratch.tiles[part];
        for (int gi = rowFrom / m; gi < groups && gi * m < rowTo; gi++) {
            int from = Math.max(rowFrom, gi * m) - gi * m;
            int to = Math.min(rowTo, (gi + 1) * m) - gi * m;
            if (scratch.tapsAlongColumns) {
                Gemm.multiply(scratch.dyAll, gi * og * np, np, false, scratch.packed[gi], np, kg, dw, gi * og * kg,
                        kg, null, false, from, to, 0, kg, tile);
            } else {
                float[] t = scratch.transposed;
                int tOff = gi * kg * og;
                Gemm.multiply(scratch.colAll, gi * kg * np, np, false, scratch.packed[gi], np, og, t, tOff, og,
                        null, false, from, to, 0, og, tile);
                for (int k = from; k < to; k++) {
                    for (int o = 0; o < og; o++) {
                        dw[(gi * og + o) * kg + k] = t[tOff + k * og + o];
                    }
                }
            }
        }
    }

    /**
     * Entries {@code [outFrom, outTo)} of {@code db[o] = Σ_{s,p} dy[s,o,p]}, overwritten: the samples are added
     * position by position into {@code acc}, which is then summed in double. Each plane is first copied into
     * {@code plane} (both of length ≥ {@code OH·OW}): {@code acc[p] += plane[p]} is a vector loop, while adding
     * straight from {@code dy} at an offset stays scalar (C2 cannot rule out that the two overlap), and the copy
     * costs less than the difference.
     */
    public static void backwardBias(float[] dy, float[] db, int n, int outChannels, int positions, int outFrom,
                                    int outTo, float[] acc, float[] plane) {
        for (int o = outFrom; o < outTo; o++) {
            if (n == 0) {
                db[o] = 0f;
                continue;
            }
            System.arraycopy(dy, o * positions, acc, 0, positions);
            for (int s = 1; s < n; s++) {
                System.arraycopy(dy, (s * outChannels + o) * positions, plane, 0, positions);
                addInto(acc, plane, positions);
            }
            double sum = 0;
            for (int p = 0; p < positions; p++) {
                sum += acc[p];
            }
            db[o] = (float) sum;
        }
    }

    private static void addInto(float[] acc, float[] src, int length) {
        for (int p = 0; p < length; p++) {
            acc[p] += src[p];
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // im2col and col2im

    static int kg(Conv2d.Geometry g) {
        return g.inChannels() / g.groups() * g.kernelHeight() * g.kernelWidth();
    }

    /**
     * Copies {@code channels} input planes from {@code xOff} into the inside of their zero-padded planes in
     * {@code padded} (plane {@code c} at {@code c·paddedPlane}, input row {@code ih} at padded row {@code ih + pH},
     * column {@code pW}). Only the inside is written: the border keeps the zeros the array was made with.
     */
    static void pad(float[] x, int xOff, int channels, Conv2d.Geometry g, float[] padded) {
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int pw = paddedWidth(g);
        final int plane = paddedPlane(g);
        for (int c = 0; c < channels; c++) {
            for (int ih = 0; ih < inH; ih++) {
                System.arraycopy(x, xOff + (c * inH + ih) * inW, padded,
                        c * plane + (ih + g.padHeight()) * pw + g.padWidth(), inW);
            }
        }
    }

    /**
     * For each output position {@code q = oh·OW + ow}, the offset in a padded plane of the value its top-left tap
     * reads: {@code oh·sH·PW + ow·sW}. Tap {@code (kh, kw)} of channel {@code c} adds {@link #tapBase}.
     */
    static int[] positionOffsets(Conv2d.Geometry g) {
        int pw = paddedWidth(g);
        int[] offsets = new int[g.outHeight() * g.outWidth()];
        for (int oh = 0; oh < g.outHeight(); oh++) {
            for (int ow = 0; ow < g.outWidth(); ow++) {
                offsets[oh * g.outWidth() + ow] = oh * g.strideHeight() * pw + ow * g.strideWidth();
            }
        }
        return offsets;
    }

    /** Where tap {@code (c, kh, kw)} reads in the padded planes, relative to the position's offset. */
    private static int tapBase(Conv2d.Geometry g, int c, int kh, int kw) {
        return c * paddedPlane(g) + kh * g.dilationHeight() * paddedWidth(g) + kw * g.dilationWidth();
    }

    /** For each of a group's {@code Kg} taps {@code (c, kh, kw)}, in that order: {@link #tapBase}. */
    static int[] tapOffsets(Conv2d.Geometry g) {
        int[] offsets = new int[kg(g)];
        int k = 0;
        for (int c = 0; c < g.inChannels() / g.groups(); c++) {
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                    offsets[k++] = tapBase(g, c, kh, kw);
                }
            }
        }
        return offsets;
    }

    /**
     * The column matrix of {@code channels} input planes from {@code xOff}, into a plain array: row
     * {@code (c·KH + kh)·KW + kw} at {@code dst[row·ld + dstCol …]}, {@code OH·OW} entries. {@code padded} holds
     * at least {@code channels} padded planes, and its border is zero.
     */
    static void im2col(float[] x, int xOff, int channels, Conv2d.Geometry g, float[] padded, int[] positionOffsets,
                       float[] dst, int dstCol, int ld) {
        pad(x, xOff, channels, g, padded);
        final int taps = g.kernelHeight() * g.kernelWidth();
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                    int row = c * taps + kh * g.kernelWidth() + kw;
                    gather(padded, tapBase(g, c, kh, kw), positionOffsets, 0, positionOffsets.length, dst,
                            row * ld + dstCol);
                }
            }
        }
    }

    /**
     * As {@link #im2col}, written straight into the rows of a one-block packed B from column {@code colOff} (the
     * product's columns are at most {@link Gemm#NC}), so that nothing needs packing.
     */
    static void im2colPacked(float[] x, int xOff, int channels, Conv2d.Geometry g, float[] padded,
                             int[] positionOffsets, Gemm.PackedB into, int colOff) {
        pad(x, xOff, channels, g, padded);
        final int taps = g.kernelHeight() * g.kernelWidth();
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                    int row = c * taps + kh * g.kernelWidth() + kw;
                    into.gather(row, colOff, padded, tapBase(g, c, kh, kw), positionOffsets);
                }
            }
        }
    }

    /**
     * The transposed column matrix ({@code colᵀ}) of one sample's {@code channels} planes from {@code xOff}, written
     * straight into the rows of a one-block packed B ({@code Kg ≤ NC}): row {@code rowOff + q} holds the {@code Kg}
     * values output position {@code q} reads, in {@code (c, kh, kw)} order ({@code tapOffsets}).
     */
    static void im2row(float[] x, int xOff, int channels, Conv2d.Geometry g, float[] padded, int[] tapOffsets,
                       int[] positionOffsets, Gemm.PackedB into, int rowOff) {
        pad(x, xOff, channels, g, padded);
        for (int q = 0; q < positionOffsets.length; q++) {
            into.gather(rowOff + q, 0, padded, positionOffsets[q], tapOffsets);
        }
    }

    /** {@code dst[to + i] = src[from + offsets[first + i]]} for {@code i < count}. */
    static void gather(float[] src, int from, int[] offsets, int first, int count, float[] dst, int to) {
        for (int i = 0; i < count; i++) {
            dst[to + i] = src[from + offsets[first + i]];
        }
    }

    /**
     * Adds the column-matrix gradient of {@code channels} planes (rows as in {@link #im2col}, row stride
     * {@code ld}, from column {@code colOff}) into the input-gradient planes at {@code dxOff}.
     */
    static void col2im(float[] col, int colOff, int ld, int channels, Conv2d.Geometry g, float[] dx, int dxOff) {
        final int inPlane = g.inHeight() * g.inWidth();
        final int taps = g.kernelHeight() * g.kernelWidth();
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < g.kernelHeight(); kh++) {
                for (int kw = 0; kw < g.kernelWidth(); kw++) {
                    col2imTap(col, (c * taps + kh * g.kernelWidth() + kw) * ld + colOff, g, kh, kw, dx,
                            dxOff + c * inPlane);
                }
            }
        }
    }

    /** Adds one row of a column-matrix gradient (tap {@code (kh, kw)}, from {@code src[srcOff]}) into a dx plane. */
    static void col2imTap(float[] src, int srcOff, Conv2d.Geometry g, int kh, int kw, float[] dx, int plane) {
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        int offH = kh * g.dilationHeight() - g.padHeight();
        int ohFrom = Conv2d.firstInside(offH, sH);
        int ohTo = Conv2d.endInside(offH, sH, g.inHeight(), outH);
        int offW = kw * g.dilationWidth() - g.padWidth();
        int owFrom = Conv2d.firstInside(offW, sW);
        int owTo = Conv2d.endInside(offW, sW, inW, outW);
        for (int oh = ohFrom; oh < ohTo; oh++) {
            int dxRow = plane + (oh * sH + offH) * inW + offW;
            int row = srcOff + oh * outW;
            if (sW == 1) {
                for (int ow = owFrom; ow < owTo; ow++) {
                    dx[dxRow + ow] += src[row + ow];
                }
            } else {
                for (int ow = owFrom; ow < owTo; ow++) {
                    dx[dxRow + ow * sW] += src[row + ow];
                }
            }
        }
    }
}
