package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/**
 * Checks that a range kernel can be split: the executor runs one kernel on {@code [0,k)} and {@code [k,end)}
 * from two threads, so each part must compute exactly what the whole range computes there, write nothing
 * outside its range, and overwrite (not accumulate into) what the output held before.
 */
final class RangeCheck {
    private RangeCheck() {
    }

    /** A kernel with everything fixed except its output array and range. */
    interface RangeKernel {
        void run(float[] output, int from, int to);
    }

    /**
     * Runs {@code kernel} on the whole range and on two halves split at {@code split} (in units of
     * {@code rowLength} output entries) and compares bit for bit. The two outputs start with different garbage,
     * so a kernel that accumulates instead of overwriting cannot pass.
     */
    static void assertSplitEqualsWhole(String op, int size, int rowLength, int split, RangeKernel kernel) {
        int rows = size / rowLength;
        float[] whole = new float[size];
        Arrays.fill(whole, 12345f);
        kernel.run(whole, 0, rows);

        float[] halves = new float[size];
        Arrays.fill(halves, Float.NaN);
        kernel.run(halves, split, rows);
        for (int k = 0; k < split * rowLength; k++) {
            assertThat(halves[k]).as("%s on [%d,%d) wrote outside its range at %d", op, split, rows, k).isNaN();
        }
        kernel.run(halves, 0, split);
        assertThat(halves).as("%s split at %d vs one range (outputs must be overwritten, not accumulated into)", op, split)
                .containsExactly(whole);
    }
}
