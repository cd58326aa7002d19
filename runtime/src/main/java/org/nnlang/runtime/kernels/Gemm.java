package org.nnlang.runtime.kernels;

import java.util.Arrays;

/**
 * Fast single-precision matrix multiply, {@code C = op(A)·op(B)} (optionally {@code + bias}, optionally accumulated
 * into {@code C}), for row-major matrices with explicit leading dimensions. {@link Linear} stays the definition of
 * the linear layer's maths; this class computes the same sums faster and is tested against it.
 *
 * <p>Two implementations sit behind one interface. Where Java has the Vector API module loaded and 256- or 512-bit
 * vectors ({@link VectorKernels}), {@link #multiply} hands the work to {@link VectorGemm}, which keeps blocks of C in
 * registers and runs about twice as fast; {@link #newPackedB} then lays B out in its panels. Otherwise the
 * auto-vectorized loops below run, on B laid out in rows. Both give the same bits. The rest of this comment is about
 * the loops.
 *
 * <h2>Why it is shaped like this</h2>
 * HotSpot's C2 (Java 17) turns a loop into AVX/AVX-512 code only in narrow circumstances, found by measurement:
 * <ul>
 *   <li>every array in the loop must be indexed by the plain loop variable. {@code c[cRow + j] += a * b[bRow + j]}
 *       stays scalar (C2 cannot prove that two arrays with different loop-invariant offsets do not overlap), while
 *       {@code c0[j] = Math.fma(a, b0[j], c0[j])} over separate arrays is vectorized;</li>
 *   <li>the loop body must stay small: C2 unrolls it 16 times (one AVX-512 vector of floats) before packing
 *       it into vector instructions and gives up beyond a size limit. A tile of 2 rows of C × 3 steps along the
 *       shared dimension (6 fused multiply-adds per column) vectorizes and was the fastest we measured; 4×2 comes
 *       close; 2×4, 4×3, 6×k and 8×k all fall back to scalar code several times slower.</li>
 * </ul>
 * So the multiply works on copies laid out for that loop, which is also what cache blocking needs:
 * <ul>
 *   <li>{@code op(B)} is <em>packed</em> ({@link #pack}) into column blocks of at most {@link #NC} columns, each row
 *       of a block its own {@code float[]}. Packing also transposes B for {@code A·Bᵀ}, so every variant runs the
 *       same kernel. A block's rows are visited {@link #KC} at a time, so the part being read (≤ 512 KiB) stays in
 *       the core's L2 cache while every row of A passes over it;</li>
 *   <li>{@link #MR} rows of C are copied into a <em>tile</em> (a {@code float[MR][NC]} owned by the calling
 *       thread), updated there over {@code KC} steps of the shared dimension while they sit in L1, then copied
 *       back;</li>
 *   <li>the micro-kernel reads the six entries of A it needs into locals (registers) and runs
 *       {@code c[j] = fma(a2, b2[j], fma(a1, b1[j], fma(a0, b0[j], c[j])))} over the block's columns for both rows:
 *       per 16 columns, 3 vector loads of B, 2 loads and 2 stores of C, 6 vector FMAs.</li>
 * </ul>
 * Every sum runs along the shared dimension in index order, starting from the bias (or zero, or C's old value when
 * accumulating), with one rounding per fused multiply-add. That differs from {@link Linear}'s separate multiply and
 * add only in the last bits.
 *
 * <h2>Contract</h2>
 * Nothing here allocates except the {@code new…} methods, meant to be called once when a plan is loaded. Methods
 * write only the rows and columns of their range, so threads may work on disjoint ranges at once, each with its own
 * tile; a {@link PackedB} may be read by many threads at once once packed, and may be packed by several threads on
 * disjoint row ranges.
 */
public final class Gemm {
    /** Rows of C per micro-kernel call (and per tile). */
    public static final int MR = 2;
    /** Steps along the shared dimension per micro-kernel call. */
    static final int KU = 3;
    /** Columns per packed block of B: long enough for the vector loop to run at full speed, short enough for L1. */
    public static final int NC = 512;
    /** Rows of a packed block visited at once: {@code KC × NC} floats (512 KiB) fit in L2 with room to spare. */
    public static final int KC = 256;
    /** Blocks narrower than one AVX-512 vector of floats go to a scalar loop instead of the micro-kernels. */
    private static final int NARROW = 16;

    static {
        // Before anything here is compiled: keep the micro-kernels out of multiply's compilation (see JitDirectives).
        JitDirectives.install();
    }

    private Gemm() {
    }

    /**
     * {@code op(B)}, {@code k × n}, laid out for the micro-kernel in one of two ways, fixed when it is made:
     * <ul>
     *   <li><em>rows</em>, for the auto-vectorized kernels: column block {@code jb} holds columns
     *       {@code [jb·NC, min(n, (jb+1)·NC))}, one {@code float[]} per row;</li>
     *   <li><em>panels</em>, for {@link VectorGemm}: panel {@code jr} holds columns {@code [jr·P, (jr+1)·P)} for
     *       {@code P = VectorGemm.PANEL}, row after row in one {@code float[]}.</li>
     * </ul>
     * Its size is fixed too; it can hold any {@code k ≤ kCapacity} and {@code n ≤ nCapacity} (the batch, and so some
     * of these sizes, change per step).
     */
    public static final class PackedB {
        private final float[][][] blocks;
        private final float[][] panels;
        private final int kCapacity;
        private final int nCapacity;

        private PackedB(int kCapacity, int nCapacity, boolean inPanels) {
            this.kCapacity = kCapacity;
            this.nCapacity = nCapacity;
            if (inPanels) {
                blocks = null;
                int panelWidth = VectorGemm.PANEL;
                panels = new float[(nCapacity + panelWidth - 1) / panelWidth][kCapacity * panelWidth];
            } else {
                panels = null;
                int blockCount = (nCapacity + NC - 1) / NC;
                blocks = new float[blockCount][][];
                for (int jb = 0; jb < blockCount; jb++) {
                    blocks[jb] = new float[kCapacity][Math.min(NC, nCapacity - jb * NC)];
                }
            }
        }

        public int kCapacity() {
            return kCapacity;
        }

        public int nCapacity() {
            return nCapacity;
        }

        /**
         * Rows of C per micro-kernel call: ranges of rows that start at multiples of this keep every part on whole
         * calls (a part of 4 rows would run VectorGemm's 12-row kernel not at all).
         */
        public int rowGrain() {
            return panels != null ? VectorGemm.MR : MR;
        }

        /**
         * Columns of C that ranges of columns should keep together: a panel for {@link VectorGemm}; for the loops,
         * all of them ({@link Integer#MAX_VALUE}), because their vector loop runs along a row and wants it long.
         */
        public int columnGrain() {
            return panels != null ? VectorGemm.PANEL : Integer.MAX_VALUE;
        }

        /**
         * {@code op(B)[p, colOff + i] = src[from + offsets[i]]} for every {@code i}: for a caller in this package
         * that builds {@code op(B)} in place (im2col in {@link FastConv2d}) instead of building it elsewhere and
         * packing a copy. In the row layout the columns must lie in the first block ({@code < NC}).
         */
        void gather(int p, int colOff, float[] src, int from, int[] offsets) {
            if (panels == null) {
                FastConv2d.gather(src, from, offsets, 0, offsets.length, blocks[0][p], colOff);
                return;
            }
            // Run by run: each panel holds PANEL of the row's columns.
            int panelWidth = VectorGemm.PANEL;
            for (int i = 0; i < offsets.length; ) {
                int column = colOff + i;
                int jr = column / panelWidth;
                int inPanel = column - jr * panelWidth;
                int run = Math.min(panelWidth - inPanel, offsets.length - i);
                FastConv2d.gather(src, from, offsets, i, run, panels[jr], p * panelWidth + inPanel);
                i += run;
            }
        }
    }

    /**
     * Room for a packed {@code op(B)} of up to {@code kCapacity × nCapacity} floats, laid out for the kernels this
     * JVM runs ({@link #kernels}).
     */
    public static PackedB newPackedB(int kCapacity, int nCapacity) {
        return newPackedB(kCapacity, nCapacity, VectorKernels.AVAILABLE);
    }

    /** As {@link #newPackedB(int, int)}, in panels for {@link VectorGemm} or in rows for the loops here. */
    static PackedB newPackedB(int kCapacity, int nCapacity, boolean inPanels) {
        if (kCapacity < 0 || nCapacity < 0) {
            throw new IllegalArgumentException("negative size " + kCapacity + " × " + nCapacity);
        }
        if (inPanels && !VectorKernels.AVAILABLE) {
            throw new IllegalStateException("the Vector API kernels are not available in this JVM");
        }
        return new PackedB(kCapacity, nCapacity, inPanels);
    }

    /**
     * A tile of C for one thread: {@link #MR} rows of {@link #NC} floats (the Vector API kernels use its first row
     * for the edges of C).
     */
    public static float[][] newTile() {
        return new float[MR][NC];
    }

    /** Which micro-kernels multiply in this JVM, in words (for {@code nn bench} and the docs). */
    public static String kernels() {
        return VectorKernels.AVAILABLE
                ? "Vector API, " + VectorKernels.vectorBits() + "-bit vectors, blocks of C of " + VectorGemm.MR + "×"
                        + VectorGemm.PANEL
                : "auto-vectorized loops (" + VectorKernels.whyNot() + ")";
    }

    /**
     * Packs rows {@code [pFrom, pTo)} of {@code op(B)} (a {@code k × n} matrix) into {@code into}. With
     * {@code transposed} false, {@code op(B)[p,j] = b[bOff + p·ldb + j]}; with it true, {@code op(B) = Bᵀ} and
     * {@code op(B)[p,j] = b[bOff + j·ldb + p]}. Threads may pack disjoint row ranges of one {@code PackedB}.
     */
    public static void pack(float[] b, int bOff, int ldb, boolean transposed, int k, int n, PackedB into,
                            int pFrom, int pTo) {
        checkCapacity(into, k, n);
        if (into.panels != null) {
            packPanels(b, bOff, ldb, transposed, n, into.panels, pFrom, pTo);
            return;
        }
        for (int jb = 0; jb * NC < n; jb++) {
            float[][] rows = into.blocks[jb];
            int col0 = jb * NC;
            int width = Math.min(NC, n - col0);
            if (!transposed) {
                for (int p = pFrom; p < pTo; p++) {
                    System.arraycopy(b, bOff + p * ldb + col0, rows[p], 0, width);
                }
            } else {
                // Eight rows of op(B) at a time: each column of op(B) (a row of B) gives eight neighbouring floats,
                // appended to eight destination rows that stay in L1 while j runs along them.
                int p = pFrom;
                for (; p + 8 <= pTo; p += 8) {
                    float[] r0 = rows[p];
                    float[] r1 = rows[p + 1];
                    float[] r2 = rows[p + 2];
                    float[] r3 = rows[p + 3];
                    float[] r4 = rows[p + 4];
                    float[] r5 = rows[p + 5];
                    float[] r6 = rows[p + 6];
                    float[] r7 = rows[p + 7];
                    transpose8(b, bOff + col0 * ldb + p, ldb, r0, r1, r2, r3, r4, r5, r6, r7, width);
                }
                for (; p < pTo; p++) {
                    float[] row = rows[p];
                    int src = bOff + col0 * ldb + p;
                    for (int j = 0; j < width; j++, src += ldb) {
                        row[j] = b[src];
                    }
                }
            }
        }
    }

    /**
     * {@link #pack} into panels: each row {@code p} of a panel gets its {@code PANEL} columns, the last panel's columns
     * past {@code n} zeros (the kernel multiplies them too, into parts of C it never stores).
     */
    private static void packPanels(float[] b, int bOff, int ldb, boolean transposed, int n, float[][] panels,
                                   int pFrom, int pTo) {
        int panelWidth = VectorGemm.PANEL;
        for (int jr = 0; jr * panelWidth < n; jr++) {
            float[] panel = panels[jr];
            int col0 = jr * panelWidth;
            int width = Math.min(panelWidth, n - col0);
            if (!transposed) {
                for (int p = pFrom; p < pTo; p++) {
                    System.arraycopy(b, bOff + p * ldb + col0, panel, p * panelWidth, width);
                }
            } else {
                // Column j of op(B) is row j of B. Row by row of the panel: the panel is written in order, and the
                // PANEL rows of B being read stay in L1 (one cache line each serves 16 steps of p).
                int src = bOff + col0 * ldb;
                for (int p = pFrom; p < pTo; p++) {
                    int to = p * panelWidth;
                    for (int j = 0; j < width; j++) {
                        panel[to + j] = b[src + j * ldb + p];
                    }
                }
            }
            if (width < panelWidth) {
                for (int p = pFrom; p < pTo; p++) {
                    Arrays.fill(panel, p * panelWidth + width, (p + 1) * panelWidth, 0f);
                }
            }
        }
    }

    /**
     * {@code r_i[j] = b[src + j·ldb + i]} for {@code i < 8}, {@code j < width}. Its own method with its bounds checked
     * before the loop, like the micro-kernels: inlined into {@link #pack}, C2 compiled this loop several times slower in
     * some runs (the seed MLP's batch-32 step went from ≈ 0.35 to ≈ 0.8 ms).
     */
    private static void transpose8(float[] b, int src, int ldb, float[] r0, float[] r1, float[] r2, float[] r3,
                                   float[] r4, float[] r5, float[] r6, float[] r7, int width) {
        if (width <= 0) {
            return;
        }
        if (src < 0 || ldb < 0 || src + (long) (width - 1) * ldb + 8 > b.length || width > r0.length
                || width > r1.length || width > r2.length || width > r3.length || width > r4.length
                || width > r5.length || width > r6.length || width > r7.length) {
            throw new ArrayIndexOutOfBoundsException(width);
        }
        for (int j = 0; j < width; j++, src += ldb) {
            r0[j] = b[src];
            r1[j] = b[src + 1];
            r2[j] = b[src + 2];
            r3[j] = b[src + 3];
            r4[j] = b[src + 4];
            r5[j] = b[src + 5];
            r6[j] = b[src + 6];
            r7[j] = b[src + 7];
        }
    }

    /**
     * Rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)} of
     * {@code C = op(A)·op(B) + bias} (or {@code C += …} when {@code accumulate}), with {@code op(B)} already
     * {@link #pack packed} ({@code k × n}). {@code op(A)} is {@code m × k}: {@code op(A)[i,p] = a[aOff + i·lda + p]},
     * or with {@code aTransposed}, {@code a[aOff + p·lda + i]}. {@code C[i,j]} is {@code c[cOff + i·ldc + j]};
     * {@code bias} (length ≥ n, or {@code null}) is added to every row. {@code tile} comes from {@link #newTile} and
     * belongs to the calling thread.
     */
    public static void multiply(float[] a, int aOff, int lda, boolean aTransposed, PackedB b, int k, int n,
                                float[] c, int cOff, int ldc, float[] bias, boolean accumulate,
                                int rowFrom, int rowTo, int colFrom, int colTo, float[][] tile) {
        checkCapacity(b, k, n);
        if (colFrom < 0 || colTo > n || rowFrom < 0) {
            throw new IllegalArgumentException("range rows [" + rowFrom + ", " + rowTo + ") columns [" + colFrom
                    + ", " + colTo + ") outside a C with " + n + " columns");
        }
        if (b.panels != null) {
            VectorGemm.multiply(a, aOff, lda, aTransposed, b.panels, k, c, cOff, ldc, bias, accumulate, rowFrom,
                    rowTo, colFrom, colTo, tile[0]);
            return;
        }
        float[] t0 = tile[0];
        float[] t1 = tile[1];
        // The step from one row of op(A) to the next, and from one column of op(A) to the next.
        int rowStep = aTransposed ? 1 : lda;
        int depthStep = aTransposed ? lda : 1;
        for (int jb = colFrom / NC; jb * NC < colTo; jb++) {
            float[][] panel = b.blocks[jb];
            int col0 = jb * NC;
            // Columns of this block, in the block's own (and the tile's) coordinates.
            int j0 = Math.max(colFrom, col0) - col0;
            int j1 = Math.min(colTo, col0 + NC) - col0;
            int width = j1 - j0;
            for (int pc = 0; pc < Math.max(k, 1); pc += KC) {
                int pEnd = Math.min(k, pc + KC);
                boolean first = pc == 0;
                for (int i = rowFrom; i < rowTo; i += MR) {
                    int rows = Math.min(MR, rowTo - i);
                    int c0 = cOff + i * ldc + col0;
                    int c1 = c0 + ldc;
                    // Load the tile: C's old values, or the bias, or zeros; after the first KC block, always C.
                    if (first && !accumulate) {
                        start(t0, bias, col0, j0, j1);
                        if (rows > 1) {
                            start(t1, bias, col0, j0, j1);
                        }
                    } else {
                        System.arraycopy(c, c0 + j0, t0, j0, width);
                        if (rows > 1) {
                            System.arraycopy(c, c1 + j0, t1, j0, width);
                        }
                        if (first && bias != null) {
                            addBias(t0, bias, col0, j0, j1);
                            if (rows > 1) {
                                addBias(t1, bias, col0, j0, j1);
                            }
                        }
                    }
                    int a0 = aOff + i * rowStep;
                    int p = pc;
                    if (width < NARROW) {
                        narrow(t0, panel, a, a0, depthStep, pc, pEnd, j0, j1);
                        if (rows > 1) {
                            narrow(t1, panel, a, a0 + rowStep, depthStep, pc, pEnd, j0, j1);
                        }
                    } else if (rows > 1) {
                        int a1 = a0 + rowStep;
                        for (; p + KU <= pEnd; p += KU) {
                            int d0 = p * depthStep;
                            int d1 = d0 + depthStep;
                            int d2 = d1 + depthStep;
                            kernel2x3(t0, t1, panel[p], panel[p + 1], panel[p + 2],
                                    a[a0 + d0], a[a0 + d1], a[a0 + d2], a[a1 + d0], a[a1 + d1], a[a1 + d2], j0, j1);
                        }
                        for (; p < pEnd; p++) {
                            int d = p * depthStep;
                            kernel2x1(t0, t1, panel[p], a[a0 + d], a[a1 + d], j0, j1);
                        }
                    } else {
                        for (; p + KU <= pEnd; p += KU) {
                            int d0 = p * depthStep;
                            int d1 = d0 + depthStep;
                            int d2 = d1 + depthStep;
                            kernel1x3(t0, panel[p], panel[p + 1], panel[p + 2], a[a0 + d0], a[a0 + d1], a[a0 + d2],
                                    j0, j1);
                        }
                        for (; p < pEnd; p++) {
                            kernel1x1(t0, panel[p], a[a0 + p * depthStep], j0, j1);
                        }
                    }
                    System.arraycopy(t0, j0, c, c0 + j0, width);
                    if (rows > 1) {
                        System.arraycopy(t1, j0, c, c1 + j0, width);
                    }
                }
            }
        }
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of {@code C = A·B (+ bias)}, {@code A} {@code m × k}, {@code B} {@code k × n}:
     * packs all of B into {@code packed}, then multiplies. For one thread; to share one packing between threads,
     * call {@link #pack} and {@link #multiply} separately.
     */
    public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, float[] bias, boolean accumulate, int rowFrom, int rowTo,
                          PackedB packed, float[][] tile) {
        checkRows(m, rowFrom, rowTo);
        pack(b, bOff, ldb, false, k, n, packed, 0, k);
        multiply(a, aOff, lda, false, packed, k, n, c, cOff, ldc, bias, accumulate, rowFrom, rowTo, 0, n, tile);
    }

    /** As {@link #nn} for {@code C = A·Bᵀ (+ bias)}, {@code A} {@code m × k}, {@code B} {@code n × k}. */
    public static void nt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, float[] bias, boolean accumulate, int rowFrom, int rowTo,
                          PackedB packed, float[][] tile) {
        checkRows(m, rowFrom, rowTo);
        pack(b, bOff, ldb, true, k, n, packed, 0, k);
        multiply(a, aOff, lda, false, packed, k, n, c, cOff, ldc, bias, accumulate, rowFrom, rowTo, 0, n, tile);
    }

    /** As {@link #nn} for {@code C = Aᵀ·B (+ bias)}, {@code A} {@code k × m}, {@code B} {@code k × n}. */
    public static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, float[] bias, boolean accumulate, int rowFrom, int rowTo,
                          PackedB packed, float[][] tile) {
        checkRows(m, rowFrom, rowTo);
        pack(b, bOff, ldb, false, k, n, packed, 0, k);
        multiply(a, aOff, lda, true, packed, k, n, c, cOff, ldc, bias, accumulate, rowFrom, rowTo, 0, n, tile);
    }

    private static void checkRows(int m, int rowFrom, int rowTo) {
        if (rowFrom < 0 || rowTo > m || rowFrom > rowTo) {
            throw new IllegalArgumentException("rows [" + rowFrom + ", " + rowTo + ") outside 0.." + m);
        }
    }

    private static void checkCapacity(PackedB packed, int k, int n) {
        if (k > packed.kCapacity || n > packed.nCapacity) {
            throw new IllegalArgumentException("a " + k + " × " + n + " op(B) does not fit a PackedB made for "
                    + packed.kCapacity + " × " + packed.nCapacity);
        }
    }

    private static void start(float[] t, float[] bias, int col0, int j0, int j1) {
        if (bias == null) {
            for (int j = j0; j < j1; j++) {
                t[j] = 0f;
            }
        } else {
            System.arraycopy(bias, col0 + j0, t, j0, j1 - j0);
        }
    }

    private static void addBias(float[] t, float[] bias, int col0, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            t[j] += bias[col0 + j];
        }
    }

    /**
     * One row of a tile narrower than a vector: plain scalar loops, kept out of the micro-kernels so that their
     * trip-count profile (which C2 consults when deciding to unroll and vectorize) only sees wide blocks.
     */
    private static void narrow(float[] t, float[][] panel, float[] a, int aRow, int depthStep, int pFrom, int pTo,
                               int j0, int j1) {
        for (int p = pFrom; p < pTo; p++) {
            float av = a[aRow + p * depthStep];
            float[] row = panel[p];
            for (int j = j0; j < j1; j++) {
                t[j] = Math.fma(av, row[j], t[j]);
            }
        }
    }

    // The micro-kernels. Each array is indexed by j alone, and each body is small: both are what C2 needs to
    // vectorize the loop (see the class comment). The sums run p, p+1, p+2 in order. Each checks its bounds once
    // before the loop, so that C2 can drop the per-element checks without the loop predicates that, measured, left
    // the loop scalar in some runs; JitDirectives keeps them from being inlined into multiply for the same reason.

    private static void kernel2x3(float[] c0, float[] c1, float[] b0, float[] b1, float[] b2,
                                  float a00, float a01, float a02, float a10, float a11, float a12, int j0, int j1) {
        if (j1 > c0.length || j1 > c1.length || j1 > b0.length || j1 > b1.length || j1 > b2.length || j0 < 0) {
            throw new ArrayIndexOutOfBoundsException(j1);
        }
        for (int j = j0; j < j1; j++) {
            float x0 = b0[j];
            float x1 = b1[j];
            float x2 = b2[j];
            c0[j] = Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j])));
            c1[j] = Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j])));
        }
    }

    private static void kernel2x1(float[] c0, float[] c1, float[] b0, float a00, float a10, int j0, int j1) {
        if (j1 > c0.length || j1 > c1.length || j1 > b0.length || j0 < 0) {
            throw new ArrayIndexOutOfBoundsException(j1);
        }
        for (int j = j0; j < j1; j++) {
            float x0 = b0[j];
            c0[j] = Math.fma(a00, x0, c0[j]);
            c1[j] = Math.fma(a10, x0, c1[j]);
        }
    }

    private static void kernel1x3(float[] c0, float[] b0, float[] b1, float[] b2, float a00, float a01, float a02,
                                  int j0, int j1) {
        if (j1 > c0.length || j1 > b0.length || j1 > b1.length || j1 > b2.length || j0 < 0) {
            throw new ArrayIndexOutOfBoundsException(j1);
        }
        for (int j = j0; j < j1; j++) {
            c0[j] = Math.fma(a02, b2[j], Math.fma(a01, b1[j], Math.fma(a00, b0[j], c0[j])));
        }
    }

    private static void kernel1x1(float[] c0, float[] b0, float a00, int j0, int j1) {
        if (j1 > c0.length || j1 > b0.length || j0 < 0) {
            throw new ArrayIndexOutOfBoundsException(j1);
        }
        for (int j = j0; j < j1; j++) {
            c0[j] = Math.fma(a00, b0[j], c0[j]);
        }
    }
}
