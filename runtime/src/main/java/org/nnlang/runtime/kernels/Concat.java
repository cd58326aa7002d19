package org.nnlang.runtime.kernels;

/**
 * Concatenation of {@code k ≥ 2} tensors along one per-sample axis, and its backward, the split. With everything
 * before the axis flattened into {@code rows} and everything from the axis on into a row, each input
 * {@code part_i} is a {@code [rows, inner_i]} matrix and the output {@code y} is {@code [rows, Σ inner_i]}:
 * <pre>
 *   y[r, offset_i + j] = part_i[r, j]          offset_i = Σ_{l &lt; i} inner_l,   0 ≤ j &lt; inner_i
 *   dpart_i[r, j]      = dy[r, offset_i + j]
 * </pre>
 * For the channels of {@code [n, C_i, H, W]}: {@code rows = n}, {@code inner_i = C_i·H·W}; for the features of
 * {@code [n, F_i]}: {@code rows = n}, {@code inner_i = F_i}; for a later axis, say the rows of
 * {@code [n, C, H_i, W]}: {@code rows = n·C}, {@code inner_i = H_i·W}.
 *
 * <p>So that any number of inputs works without an array of arrays, the forward is one {@link #copyIn} call per
 * input (each fills its own columns of {@code y}; together they fill all of it) and the backward one
 * {@link #copyOut} call per input. Both take a range of rows {@code [rowFrom, rowTo)} ({@code rows} is a
 * multiple of the batch, so splitting samples means splitting rows), copy with {@code System.arraycopy},
 * overwrite, allocate nothing and keep no state.
 */
public final class Concat {
    private Concat() {
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of input {@code part} ({@code [rows, partInner]}) into columns
     * {@code [offsetInner, offsetInner + partInner)} of {@code y} ({@code [rows, totalInner]}), overwriting them.
     */
    public static void copyIn(float[] part, float[] y, int partInner, int totalInner, int offsetInner,
                              int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            System.arraycopy(part, r * partInner, y, r * totalInner + offsetInner, partInner);
        }
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of the gradient of one input: columns {@code [offsetInner, offsetInner +
     * partInner)} of {@code dy} ({@code [rows, totalInner]}) into {@code dpart} ({@code [rows, partInner]}),
     * overwriting them.
     */
    public static void copyOut(float[] dy, float[] dpart, int partInner, int totalInner, int offsetInner,
                               int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            System.arraycopy(dy, r * totalInner + offsetInner, dpart, r * partInner, partInner);
        }
    }
}
