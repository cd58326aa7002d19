package org.nnlang.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm}'s multiply on the JDK's Vector API ({@code jdk.incubator.vector}), used when Java runs with
 * {@code --add-modules jdk.incubator.vector} (the {@code nn} launcher and the tests do) on a processor with 256- or
 * 512-bit vectors. Only {@link Gemm} calls it, and only for a {@link Gemm.PackedB} laid out in panels, so that
 * without the module this class is never loaded.
 *
 * <h2>Why it is twice as fast as the auto-vectorized loops</h2>
 * C2 turns {@code c[j] = fma(a, b[j], c[j])} into vector code, but each pass of that loop loads and stores its row of
 * C: per fused multiply-add it moves a vector of C in and out of memory. Here the micro-kernel keeps a block of C of
 * 12 rows × 2 vectors (12 × 32 floats) in 24 of the processor's 32 vector registers for a whole pass along the shared
 * dimension, and per step {@code p} it loads only two vectors of B and 12 single values of A:
 * <pre>
 *   for p:  b0, b1 = B[p, j … j+31];   for i < 12:  c[i] += A[i, p] · (b0, b1)      (24 FMAs, 2 + 12 loads)
 * </pre>
 * That is the register blocking of high-performance BLAS libraries (BLIS's micro-kernel). C is read once before the
 * pass and written once after it. Measured on this project's 2-core AVX-512 machine, 2048³: about 77 GFLOP/s on one
 * thread and 121 on two, against 48 and 65 for {@link Gemm}'s loops and 105 and 196–210 for OpenBLAS
 * (docs/performance.md); on the seed MLP's products at batch 32, 90–103 GFLOP/s against 45–65.
 *
 * <p>B is packed in <em>panels</em> {@value #PANEL_VECTORS} vectors wide: panel {@code jr} holds columns
 * {@code [jr·PANEL, (jr+1)·PANEL)} of {@code op(B)}, row after row, so the kernel's loads of B are one contiguous
 * stream (measured: 15% faster than reading rows kept as separate arrays). A is read where it lies, row {@code i} of
 * the call at {@code rᵢ + p·depthStep} with one induction variable for all rows (twelve of them ran at 62–71 instead
 * of 77 GFLOP/s). Packing A as BLIS does reached 88 on 2048³ but slowed the training step, where a product split into
 * column bands packs A once per band. The kernels are written out by hand for 12 (or, with 256-bit vectors, 6), 4
 * and 1 rows: Java has no way to keep an array of vectors in registers. With AVX2's 256-bit vectors (measured on the
 * same processor under {@code -XX:UseAVX=2}), 2048³ ran at 63 GFLOP/s against 46 for the loops; the 12-row kernel
 * spilled its accumulators there and ran at 31.
 *
 * <h2>Sums</h2>
 * Each entry of C starts from its old value, the bias or zero and adds {@code A[i,p]·B[p,j]} for {@code p} in index
 * order with one rounding per fused multiply-add: exactly {@link Gemm}'s sums, so both give the same bits.
 */
final class VectorGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int LANES = S.length();
    /** Vectors of C per row in the micro-kernel. */
    static final int PANEL_VECTORS = 2;
    /** Columns per panel of B, and of C per micro-kernel call. */
    static final int PANEL = PANEL_VECTORS * LANES;
    /**
     * Rows of C per call of the large micro-kernel, when that many are left: 12 (24 accumulators) with 512-bit vectors
     * and their 32 registers, 6 (12 accumulators) with 256-bit vectors and their 16 (AVX2).
     */
    static final int MR = LANES >= 16 ? 12 : 6;
    /** Rows of C that share the B panels in L1 while their A rows stay in L2 ({@code MC × KC} floats ≤ 192 KiB). */
    private static final int MC = 16 * MR;
    /** Rows of B per pass, as in {@link Gemm#KC}: {@code KC × PANEL} floats (32 KiB) fit L1. */
    private static final int KC = Gemm.KC;
    /** Bias "row" for a product without bias. */
    private static final float[] ZEROS = new float[PANEL];

    private VectorGemm() {
    }

    /** The processor's vector width in bits for floats, as Java sees it (with the module present). */
    static int vectorBits() {
        return S.vectorBitSize();
    }

    /**
     * As {@link Gemm#multiply}, for {@code op(B)} packed into {@code panels} ({@code panels[jr][p·PANEL + j]}).
     * {@code scratch} holds at least {@code MR × PANEL} floats.
     */
    static void multiply(float[] a, int aOff, int lda, boolean aTransposed, float[][] panels, int k, float[] c,
                         int cOff, int ldc, float[] bias, boolean accumulate, int rowFrom, int rowTo, int colFrom,
                         int colTo, float[] scratch) {
        int rowStep = aTransposed ? 1 : lda;
        int depthStep = aTransposed ? lda : 1;
        for (int pc = 0; pc < Math.max(k, 1); pc += KC) {
            int pEnd = Math.min(k, pc + KC);
            // Where each entry starts: C's old value after the first pass or when accumulating, else bias or zero.
            boolean fromC = pc > 0 || accumulate;
            boolean addBias = pc == 0 && bias != null;
            for (int ic = rowFrom; ic < rowTo; ic += MC) {
                int icEnd = Math.min(rowTo, ic + MC);
                for (int jr = colFrom / PANEL; jr * PANEL < colTo; jr++) {
                    int col0 = jr * PANEL;
                    int j0 = Math.max(colFrom, col0);
                    int j1 = Math.min(colTo, col0 + PANEL);
                    boolean whole = j0 == col0 && j1 == col0 + PANEL && !(fromC && addBias);
                    float[] panel = panels[jr];
                    for (int i = ic; i < icEnd; ) {
                        int rows = icEnd - i >= MR ? MR : icEnd - i >= 4 ? 4 : 1;
                        int aRow = aOff + i * rowStep;
                        int cRow = cOff + i * ldc + col0;
                        if (whole) {
                            // Start values straight from C or the bias (a "matrix" whose rows are all the bias).
                            float[] src = fromC ? c : addBias ? bias : ZEROS;
                            int srcOff = fromC ? cRow : addBias ? col0 : 0;
                            int srcStride = fromC ? ldc : 0;
                            kernel(rows, a, aRow, rowStep, depthStep, panel, pc, pEnd, src, srcOff, srcStride,
                                    c, cRow, ldc);
                        } else {
                            // A panel only partly inside [colFrom, colTo), or C plus the bias: through the scratch.
                            int from = j0 - col0;
                            int to = j1 - col0;
                            for (int r = 0; r < rows; r++) {
                                for (int j = from; j < to; j++) {
                                    float start = fromC ? c[cRow + r * ldc + j] : 0f;
                                    scratch[r * PANEL + j] = addBias ? start + bias[col0 + j] : start;
                                }
                            }
                            kernel(rows, a, aRow, rowStep, depthStep, panel, pc, pEnd, scratch, 0, PANEL,
                                    scratch, 0, PANEL);
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(scratch, r * PANEL + from, c, cRow + r * ldc + from, to - from);
                            }
                        }
                        i += rows;
                    }
                }
            }
        }
    }

    private static void kernel(int rows, float[] a, int aRow, int rowStep, int depthStep, float[] panel, int pFrom,
                               int pTo, float[] src, int srcOff, int srcStride, float[] dst, int dstOff,
                               int dstStride) {
        if (rows == 12) {
            kernel12(a, aRow, rowStep, depthStep, panel, pFrom, pTo, src, srcOff, srcStride, dst, dstOff, dstStride);
        } else if (rows == 6) {
            kernel6(a, aRow, rowStep, depthStep, panel, pFrom, pTo, src, srcOff, srcStride, dst, dstOff, dstStride);
        } else if (rows == 4) {
            kernel4(a, aRow, rowStep, depthStep, panel, pFrom, pTo, src, srcOff, srcStride, dst, dstOff, dstStride);
        } else {
            kernel1(a, aRow, rowStep, depthStep, panel, pFrom, pTo, src, srcOff, srcStride, dst, dstOff, dstStride);
        }
    }

    // The micro-kernels: written out row by row so that every accumulator is a local C2 keeps in a register.

    /**
     * 12 rows of C × one panel: {@code c[i] += a[rᵢ + d] · (b0, b1)} for each step {@code p} along the shared
     * dimension, with {@code rᵢ} row {@code i}'s start in A and {@code d = p·depthStep}.
     */
    private static void kernel12(float[] a, int aRow, int rowStep, int depthStep, float[] panel, int pFrom, int pTo,
                                float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
        FloatVector c00 = FloatVector.fromArray(S, src, srcOff);
        FloatVector c01 = FloatVector.fromArray(S, src, srcOff + LANES);
        FloatVector c10 = FloatVector.fromArray(S, src, srcOff + 1 * srcStride);
        FloatVector c11 = FloatVector.fromArray(S, src, srcOff + 1 * srcStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, src, srcOff + 2 * srcStride);
        FloatVector c21 = FloatVector.fromArray(S, src, srcOff + 2 * srcStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, src, srcOff + 3 * srcStride);
        FloatVector c31 = FloatVector.fromArray(S, src, srcOff + 3 * srcStride + LANES);
        FloatVector c40 = FloatVector.fromArray(S, src, srcOff + 4 * srcStride);
        FloatVector c41 = FloatVector.fromArray(S, src, srcOff + 4 * srcStride + LANES);
        FloatVector c50 = FloatVector.fromArray(S, src, srcOff + 5 * srcStride);
        FloatVector c51 = FloatVector.fromArray(S, src, srcOff + 5 * srcStride + LANES);
        FloatVector c60 = FloatVector.fromArray(S, src, srcOff + 6 * srcStride);
        FloatVector c61 = FloatVector.fromArray(S, src, srcOff + 6 * srcStride + LANES);
        FloatVector c70 = FloatVector.fromArray(S, src, srcOff + 7 * srcStride);
        FloatVector c71 = FloatVector.fromArray(S, src, srcOff + 7 * srcStride + LANES);
        FloatVector c80 = FloatVector.fromArray(S, src, srcOff + 8 * srcStride);
        FloatVector c81 = FloatVector.fromArray(S, src, srcOff + 8 * srcStride + LANES);
        FloatVector c90 = FloatVector.fromArray(S, src, srcOff + 9 * srcStride);
        FloatVector c91 = FloatVector.fromArray(S, src, srcOff + 9 * srcStride + LANES);
        FloatVector c100 = FloatVector.fromArray(S, src, srcOff + 10 * srcStride);
        FloatVector c101 = FloatVector.fromArray(S, src, srcOff + 10 * srcStride + LANES);
        FloatVector c110 = FloatVector.fromArray(S, src, srcOff + 11 * srcStride);
        FloatVector c111 = FloatVector.fromArray(S, src, srcOff + 11 * srcStride + LANES);
        int r0 = aRow, r1 = aRow + 1 * rowStep, r2 = aRow + 2 * rowStep, r3 = aRow + 3 * rowStep;
        int r4 = aRow + 4 * rowStep, r5 = aRow + 5 * rowStep, r6 = aRow + 6 * rowStep, r7 = aRow + 7 * rowStep;
        int r8 = aRow + 8 * rowStep, r9 = aRow + 9 * rowStep, r10 = aRow + 10 * rowStep, r11 = aRow + 11 * rowStep;
        for (int p = pFrom, b = pFrom * PANEL, d = pFrom * depthStep; p < pTo; p++, b += PANEL, d += depthStep) {
            FloatVector b0 = FloatVector.fromArray(S, panel, b);
            FloatVector b1 = FloatVector.fromArray(S, panel, b + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + d]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + d]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + d]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + d]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + d]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + d]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[r6 + d]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[r7 + d]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(S, a[r8 + d]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(S, a[r9 + d]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(S, a[r10 + d]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(S, a[r11 + d]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
        }
        c00.intoArray(dst, dstOff);
        c01.intoArray(dst, dstOff + LANES);
        c10.intoArray(dst, dstOff + 1 * dstStride);
        c11.intoArray(dst, dstOff + 1 * dstStride + LANES);
        c20.intoArray(dst, dstOff + 2 * dstStride);
        c21.intoArray(dst, dstOff + 2 * dstStride + LANES);
        c30.intoArray(dst, dstOff + 3 * dstStride);
        c31.intoArray(dst, dstOff + 3 * dstStride + LANES);
        c40.intoArray(dst, dstOff + 4 * dstStride);
        c41.intoArray(dst, dstOff + 4 * dstStride + LANES);
        c50.intoArray(dst, dstOff + 5 * dstStride);
        c51.intoArray(dst, dstOff + 5 * dstStride + LANES);
        c60.intoArray(dst, dstOff + 6 * dstStride);
        c61.intoArray(dst, dstOff + 6 * dstStride + LANES);
        c70.intoArray(dst, dstOff + 7 * dstStride);
        c71.intoArray(dst, dstOff + 7 * dstStride + LANES);
        c80.intoArray(dst, dstOff + 8 * dstStride);
        c81.intoArray(dst, dstOff + 8 * dstStride + LANES);
        c90.intoArray(dst, dstOff + 9 * dstStride);
        c91.intoArray(dst, dstOff + 9 * dstStride + LANES);
        c100.intoArray(dst, dstOff + 10 * dstStride);
        c101.intoArray(dst, dstOff + 10 * dstStride + LANES);
        c110.intoArray(dst, dstOff + 11 * dstStride);
        c111.intoArray(dst, dstOff + 11 * dstStride + LANES);
    }

    /** As {@link #kernel12} for 6 rows: the large kernel with 256-bit vectors (12 accumulators, 16 registers). */
    private static void kernel6(float[] a, int aRow, int rowStep, int depthStep, float[] panel, int pFrom, int pTo,
                                float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
        FloatVector c00 = FloatVector.fromArray(S, src, srcOff);
        FloatVector c01 = FloatVector.fromArray(S, src, srcOff + LANES);
        FloatVector c10 = FloatVector.fromArray(S, src, srcOff + 1 * srcStride);
        FloatVector c11 = FloatVector.fromArray(S, src, srcOff + 1 * srcStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, src, srcOff + 2 * srcStride);
        FloatVector c21 = FloatVector.fromArray(S, src, srcOff + 2 * srcStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, src, srcOff + 3 * srcStride);
        FloatVector c31 = FloatVector.fromArray(S, src, srcOff + 3 * srcStride + LANES);
        FloatVector c40 = FloatVector.fromArray(S, src, srcOff + 4 * srcStride);
        FloatVector c41 = FloatVector.fromArray(S, src, srcOff + 4 * srcStride + LANES);
        FloatVector c50 = FloatVector.fromArray(S, src, srcOff + 5 * srcStride);
        FloatVector c51 = FloatVector.fromArray(S, src, srcOff + 5 * srcStride + LANES);
        int r0 = aRow, r1 = aRow + 1 * rowStep, r2 = aRow + 2 * rowStep, r3 = aRow + 3 * rowStep;
        int r4 = aRow + 4 * rowStep, r5 = aRow + 5 * rowStep;
        for (int p = pFrom, b = pFrom * PANEL, d = pFrom * depthStep; p < pTo; p++, b += PANEL, d += depthStep) {
            FloatVector b0 = FloatVector.fromArray(S, panel, b);
            FloatVector b1 = FloatVector.fromArray(S, panel, b + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + d]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + d]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + d]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + d]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + d]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + d]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(dst, dstOff);
        c01.intoArray(dst, dstOff + LANES);
        c10.intoArray(dst, dstOff + 1 * dstStride);
        c11.intoArray(dst, dstOff + 1 * dstStride + LANES);
        c20.intoArray(dst, dstOff + 2 * dstStride);
        c21.intoArray(dst, dstOff + 2 * dstStride + LANES);
        c30.intoArray(dst, dstOff + 3 * dstStride);
        c31.intoArray(dst, dstOff + 3 * dstStride + LANES);
        c40.intoArray(dst, dstOff + 4 * dstStride);
        c41.intoArray(dst, dstOff + 4 * dstStride + LANES);
        c50.intoArray(dst, dstOff + 5 * dstStride);
        c51.intoArray(dst, dstOff + 5 * dstStride + LANES);
    }

    /** As {@link #kernel12} for 4 rows. */
    private static void kernel4(float[] a, int aRow, int rowStep, int depthStep, float[] panel, int pFrom, int pTo,
                                float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
        FloatVector c00 = FloatVector.fromArray(S, src, srcOff);
        FloatVector c01 = FloatVector.fromArray(S, src, srcOff + LANES);
        FloatVector c10 = FloatVector.fromArray(S, src, srcOff + 1 * srcStride);
        FloatVector c11 = FloatVector.fromArray(S, src, srcOff + 1 * srcStride + LANES);
        FloatVector c20 = FloatVector.fromArray(S, src, srcOff + 2 * srcStride);
        FloatVector c21 = FloatVector.fromArray(S, src, srcOff + 2 * srcStride + LANES);
        FloatVector c30 = FloatVector.fromArray(S, src, srcOff + 3 * srcStride);
        FloatVector c31 = FloatVector.fromArray(S, src, srcOff + 3 * srcStride + LANES);
        int r0 = aRow, r1 = aRow + 1 * rowStep, r2 = aRow + 2 * rowStep, r3 = aRow + 3 * rowStep;
        for (int p = pFrom, b = pFrom * PANEL, d = pFrom * depthStep; p < pTo; p++, b += PANEL, d += depthStep) {
            FloatVector b0 = FloatVector.fromArray(S, panel, b);
            FloatVector b1 = FloatVector.fromArray(S, panel, b + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + d]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + d]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + d]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + d]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(dst, dstOff);
        c01.intoArray(dst, dstOff + LANES);
        c10.intoArray(dst, dstOff + 1 * dstStride);
        c11.intoArray(dst, dstOff + 1 * dstStride + LANES);
        c20.intoArray(dst, dstOff + 2 * dstStride);
        c21.intoArray(dst, dstOff + 2 * dstStride + LANES);
        c30.intoArray(dst, dstOff + 3 * dstStride);
        c31.intoArray(dst, dstOff + 3 * dstStride + LANES);
    }

    /** As {@link #kernel12} for 1 row. */
    private static void kernel1(float[] a, int aRow, int rowStep, int depthStep, float[] panel, int pFrom, int pTo,
                                float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
        FloatVector c00 = FloatVector.fromArray(S, src, srcOff);
        FloatVector c01 = FloatVector.fromArray(S, src, srcOff + LANES);
        int r0 = aRow;
        for (int p = pFrom, b = pFrom * PANEL, d = pFrom * depthStep; p < pTo; p++, b += PANEL, d += depthStep) {
            FloatVector b0 = FloatVector.fromArray(S, panel, b);
            FloatVector b1 = FloatVector.fromArray(S, panel, b + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + d]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
        }
        c00.intoArray(dst, dstOff);
        c01.intoArray(dst, dstOff + LANES);
    }
}
