package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.SteadyState.assertNoAllocation;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm} against a float64 reference: every variant, with and without bias and accumulation, on odd,
 * non-square shapes that cross the kernel's tile ({@link Gemm#MR} rows, 3 steps of the shared dimension) and block
 * ({@link Gemm#NC} columns, {@link Gemm#KC} rows of B) boundaries, with leading dimensions larger than the matrices
 * and non-zero offsets; then ranges, split packing, and allocation. Each runs on both layouts of {@link Gemm.PackedB}:
 * rows for the auto-vectorized loops, and panels for {@link VectorGemm} where the Vector API kernels run (Maven's
 * tests start Java with the module), which must also give the loops' results bit for bit.
 */
class GemmTest {
    private enum Variant { NN, NT, TN }

    /** {m, n, k}: tiny, odd, one tile short, past one KC block, past one NC block, and both. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 7, 2}, {2, 3, 3}, {3, 5, 7}, {7, 17, 4}, {5, 10, 128}, {6, 31, 11},
            {9, 33, 257}, {4, 513, 5}, {3, 1030, 260}, {17, 530, 301},
    };

    private final Random random = new Random(7);

    /** The layouts this JVM can multiply: rows always, panels with the Vector API kernels. */
    private static boolean[] layouts() {
        return VectorKernels.AVAILABLE ? new boolean[] {false, true} : new boolean[] {false};
    }

    /** A matrix stored row-major with a leading dimension and an offset, as BLAS callers hand them over. */
    private record Stored(float[] data, int offset, int ld) {
        float at(int row, int col) {
            return data[offset + row * ld + col];
        }
    }

    private Stored random(int rows, int cols) {
        int ld = cols + random.nextInt(3);
        int offset = random.nextInt(4);
        return new Stored(randomArray(random, offset + rows * ld + 1), offset, ld);
    }

    @Test
    void everyVariantMatchesFloat64Reference() {
        for (int[] shape : SHAPES) {
            for (Variant variant : Variant.values()) {
                for (boolean withBias : new boolean[] {false, true}) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        for (boolean panels : layouts()) {
                            checkAgainstReference(variant, shape[0], shape[1], shape[2], withBias, accumulate,
                                    panels);
                        }
                    }
                }
            }
        }
    }

    private void checkAgainstReference(Variant variant, int m, int n, int k, boolean withBias, boolean accumulate,
                                       boolean panels) {
        // Stored shapes: A is m×k (k×m for TN), B is k×n (n×k for NT).
        Stored a = variant == Variant.TN ? random(k, m) : random(m, k);
        Stored b = variant == Variant.NT ? random(n, k) : random(k, n);
        Stored c = random(m, n);
        float[] bias = withBias ? randomArray(random, n) : null;
        float[] before = c.data.clone();

        Gemm.PackedB packed = Gemm.newPackedB(k, n, panels);
        float[][] tile = Gemm.newTile();
        switch (variant) {
            case NN -> Gemm.nn(m, n, k, a.data, a.offset, a.ld, b.data, b.offset, b.ld, c.data, c.offset, c.ld, bias,
                    accumulate, 0, m, packed, tile);
            case NT -> Gemm.nt(m, n, k, a.data, a.offset, a.ld, b.data, b.offset, b.ld, c.data, c.offset, c.ld, bias,
                    accumulate, 0, m, packed, tile);
            case TN -> Gemm.tn(m, n, k, a.data, a.offset, a.ld, b.data, b.offset, b.ld, c.data, c.offset, c.ld, bias,
                    accumulate, 0, m, packed, tile);
        }

        String what = variant + " " + m + "×" + n + "×" + k + (withBias ? " +bias" : "") + (accumulate ? " +=" : "")
                + (panels ? " (panels)" : " (rows)");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double av = variant == Variant.TN ? a.at(p, i) : a.at(i, p);
                    double bv = variant == Variant.NT ? b.at(j, p) : b.at(p, j);
                    sum += av * bv;
                    magnitude += Math.abs(av * bv);
                }
                if (bias != null) {
                    sum += bias[j];
                    magnitude += Math.abs(bias[j]);
                }
                int index = c.offset + i * c.ld + j;
                if (accumulate) {
                    sum += before[index];
                    magnitude += Math.abs(before[index]);
                }
                // float32 sums of k terms: error grows with k and with the size of the terms, not of the result.
                double tolerance = 1e-6 + 2e-7 * (k + 2) * magnitude;
                float actual = c.data[index];
                if (!(Math.abs(actual - sum) <= tolerance)) {
                    fail("%s: C[%d,%d] = %.8g but the float64 reference gives %.8g (tolerance %.2g)", what, i, j,
                            actual, sum, tolerance);
                }
            }
        }
        // Nothing outside C's m×n entries changed: the padding of each row and the memory before and after.
        for (int index = 0; index < before.length; index++) {
            int row = (index - c.offset) / c.ld;
            int col = (index - c.offset) % c.ld;
            boolean inside = index >= c.offset && row < m && col < n;
            if (!inside && Float.compare(before[index], c.data[index]) != 0) {
                fail("%s wrote outside C at index %d", what, index);
            }
        }
    }

    @Test
    void rangesOfRowsAndColumnsComputeExactlyTheWholeProduct() {
        for (boolean panels : layouts()) {
            checkRanges(panels);
        }
    }

    private void checkRanges(boolean panels) {
        int m = 23;
        int n = 1040; // three column blocks, the last a short one
        int k = 300;  // two KC blocks
        float[] a = randomArray(random, m * k);
        float[] b = randomArray(random, k * n);
        float[] bias = randomArray(random, n);
        Gemm.PackedB packed = Gemm.newPackedB(k, n, panels);
        Gemm.pack(b, 0, n, false, k, n, packed, 0, k);
        float[][] tile = Gemm.newTile();

        float[] whole = new float[m * n];
        Arrays.fill(whole, 12345f);
        Gemm.multiply(a, 0, k, false, packed, k, n, whole, 0, n, bias, false, 0, m, 0, n, tile);

        // Odd row boundaries (half tiles) and column boundaries inside a block and on a block edge.
        int[] rowCuts = {0, 5, 6, 17, m};
        int[] colCuts = {0, 3, Gemm.NC, Gemm.NC + 100, n};
        float[] pieces = new float[m * n];
        Arrays.fill(pieces, Float.NaN);
        for (int r = 0; r + 1 < rowCuts.length; r++) {
            for (int s = 0; s + 1 < colCuts.length; s++) {
                Gemm.multiply(a, 0, k, false, packed, k, n, pieces, 0, n, bias, false, rowCuts[r], rowCuts[r + 1],
                        colCuts[s], colCuts[s + 1], tile);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        // Bands are filled row band by row band, each left to right.
                        boolean done = i < rowCuts[r] || i < rowCuts[r + 1] && j < colCuts[s + 1];
                        if (!done && !Float.isNaN(pieces[i * n + j])) {
                            fail("range rows [%d,%d) columns [%d,%d) wrote C[%d,%d] outside it", rowCuts[r],
                                    rowCuts[r + 1], colCuts[s], colCuts[s + 1], i, j);
                        }
                    }
                }
            }
        }
        assertThat(pieces).as("pieces vs one call (each entry's sum must not depend on how C is split)")
                .containsExactly(whole);
    }

    @Test
    void packingInPartsEqualsPackingAtOnce() {
        int k = 37;
        int n = 530;
        float[] b = randomArray(random, k * n);
        float[] a = randomArray(random, 4 * k);
        for (boolean transposed : new boolean[] {false, true}) {
            for (boolean panels : layouts()) {
                checkPackingInParts(b, a, k, n, transposed, panels);
            }
        }
    }

    private void checkPackingInParts(float[] b, float[] a, int k, int n, boolean transposed, boolean panels) {
        int ldb = transposed ? k : n;
        Gemm.PackedB once = Gemm.newPackedB(k, n, panels);
        Gemm.pack(b, 0, ldb, transposed, k, n, once, 0, k);
        // A bigger one, as a plan allocates for capacity.
        Gemm.PackedB parts = Gemm.newPackedB(k + 5, n + 20, panels);
        Gemm.pack(b, 0, ldb, transposed, k, n, parts, 20, k);
        Gemm.pack(b, 0, ldb, transposed, k, n, parts, 0, 20);
        float[] c1 = new float[4 * n];
        float[] c2 = new float[4 * n];
        Gemm.multiply(a, 0, k, false, once, k, n, c1, 0, n, null, false, 0, 4, 0, n, Gemm.newTile());
        Gemm.multiply(a, 0, k, false, parts, k, n, c2, 0, n, null, false, 0, 4, 0, n, Gemm.newTile());
        assertThat(c2).as("transposed = %s", transposed).containsExactly(c1);
    }

    @Test
    void anEmptySharedDimensionGivesTheBiasOrZero() {
        float[] bias = {1f, 2f, 3f};
        float[] c = {9f, 9f, 9f, 9f, 9f, 9f};
        Gemm.PackedB packed = Gemm.newPackedB(0, 3);
        Gemm.nn(2, 3, 0, new float[0], 0, 0, new float[0], 0, 3, c, 0, 3, bias, false, 0, 2, packed,
                Gemm.newTile());
        assertThat(c).containsExactly(1f, 2f, 3f, 1f, 2f, 3f);
        Gemm.nn(2, 3, 0, new float[0], 0, 0, new float[0], 0, 3, c, 0, 3, bias, true, 0, 2, packed, Gemm.newTile());
        assertThat(c).containsExactly(2f, 4f, 6f, 2f, 4f, 6f);
        Gemm.nn(2, 3, 0, new float[0], 0, 0, new float[0], 0, 3, c, 0, 3, null, false, 0, 2, packed, Gemm.newTile());
        assertThat(c).containsOnly(0f);
    }

    @Test
    void matchesTheLinearReferenceKernels() {
        int n = 13;
        int in = 47;
        int out = 19;
        float[] x = randomArray(random, n * in);
        float[] w = randomArray(random, out * in);
        float[] b = randomArray(random, out);
        float[] dy = randomArray(random, n * out);
        Gemm.PackedB packed = Gemm.newPackedB(Math.max(in, n), Math.max(in, out));
        float[][] tile = Gemm.newTile();

        float[] expected = new float[n * out];
        float[] actual = new float[n * out];
        Linear.forward(x, w, b, expected, in, out, 0, n);
        Gemm.nt(n, out, in, x, 0, in, w, 0, in, actual, 0, out, b, false, 0, n, packed, tile);
        assertClose("forward", actual, expected);

        expected = new float[n * in];
        actual = new float[n * in];
        Linear.backwardInput(dy, w, expected, in, out, 0, n);
        Gemm.nn(n, in, out, dy, 0, out, w, 0, in, actual, 0, in, null, false, 0, n, packed, tile);
        assertClose("backwardInput", actual, expected);

        expected = new float[out * in];
        actual = new float[out * in];
        Linear.backwardWeight(dy, x, expected, n, in, out, 0, out);
        Gemm.tn(out, in, n, dy, 0, out, x, 0, in, actual, 0, in, null, false, 0, out, packed, tile);
        assertClose("backwardWeight", actual, expected);
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("%s[%d]: Gemm vs Linear", what, i)
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(expected[i]))));
        }
    }

    @Test
    void tooSmallAPackingBufferIsRefused() {
        Gemm.PackedB packed = Gemm.newPackedB(4, 8);
        float[] b = new float[100];
        assertThatThrownBy(() -> Gemm.pack(b, 0, 9, false, 5, 8, packed, 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 × 8").hasMessageContaining("4 × 8");
        assertThatThrownBy(() -> Gemm.nn(2, 8, 4, b, 0, 4, b, 0, 8, new float[16], 0, 8, null, false, 0, 3, packed,
                Gemm.newTile())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows [0, 3)");
    }

    @Test
    void packingAndMultiplyingAllocateNothing() {
        for (boolean panels : layouts()) {
            int m = 29; // 12 + 12 + 4 + 1 rows: each of VectorGemm's kernels
            int n = 40;
            int k = 31;
            float[] a = randomArray(random, m * k);
            float[] b = randomArray(random, n * k);
            float[] bias = randomArray(random, n);
            float[] c = new float[m * n];
            float[] d = new float[k * n];
            Gemm.PackedB packed = Gemm.newPackedB(Math.max(k, m), n, panels);
            float[][] tile = Gemm.newTile();
            assertNoAllocation("Gemm.nt and Gemm.tn, " + (panels ? "panels" : "rows"), () -> {
                Gemm.nt(m, n, k, a, 0, k, b, 0, k, c, 0, n, bias, false, 0, m, packed, tile);
                Gemm.tn(k, n, m, a, 0, k, c, 0, n, d, 0, n, null, true, 1, k, packed, tile); // D += Aᵀ·C
            });
        }
    }

    /**
     * The Vector API kernels give exactly the loops' sums: the same order along the shared dimension, one rounding
     * per fused multiply-add. Shapes cross every edge of {@link VectorGemm}: 12-, 4- and 1-row kernels, its block
     * of {@code MC} rows, partial panels, {@link Gemm#KC} and {@link Gemm#NC}; with bias, accumulation, transposed A
     * and column ranges that cut panels.
     */
    @Test
    void vectorKernelsGiveTheLoopsBitsExactly() {
        Assumptions.assumeTrue(VectorKernels.AVAILABLE, VectorKernels.whyNot());
        int[][] shapes = {
                {1, 1, 1}, {29, 40, 31}, {17, 33, 3}, {32, 64, 9}, {200, 70, 257}, {13, 530, 300}, {5, 16, 0}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            for (boolean aTransposed : new boolean[] {false, true}) {
                float[] a = randomArray(random, m * k + 3);
                float[] b = randomArray(random, k * n + 2);
                float[] bias = randomArray(random, n);
                float[] start = randomArray(random, m * n + 5);
                Gemm.PackedB rows = Gemm.newPackedB(k, n, false);
                Gemm.PackedB panels = Gemm.newPackedB(k, n, true);
                Gemm.pack(b, 2, n, false, k, n, rows, 0, k);
                Gemm.pack(b, 2, n, false, k, n, panels, 0, k);
                int lda = aTransposed ? m : k;
                int[][] ranges = {{0, m, 0, n}, {m / 3, m, n / 5, n - n / 7}};
                for (int[] r : ranges) {
                    for (int mode = 0; mode < 4; mode++) {
                        float[] withBias = mode % 2 == 1 ? bias : null;
                        boolean accumulate = mode >= 2;
                        float[] expected = start.clone();
                        float[] actual = start.clone();
                        Gemm.multiply(a, 3, lda, aTransposed, rows, k, n, expected, 5, n, withBias, accumulate, r[0],
                                r[1], r[2], r[3], Gemm.newTile());
                        Gemm.multiply(a, 3, lda, aTransposed, panels, k, n, actual, 5, n, withBias, accumulate, r[0],
                                r[1], r[2], r[3], Gemm.newTile());
                        assertThat(actual).as("%d×%d×%d, A transposed %s, rows [%d,%d) columns [%d,%d), bias %s, "
                                        + "accumulate %s", m, n, k, aTransposed, r[0], r[1], r[2], r[3],
                                withBias != null, accumulate).containsExactly(expected);
                    }
                }
            }
        }
    }

    /** Maven's tests run with the Vector API module (the root pom's argLine), as the nn launcher does. */
    @Test
    void testsRunWithTheVectorApiModule() {
        assertThat(ModuleLayer.boot().findModule(VectorKernels.MODULE)).isPresent();
    }
}
