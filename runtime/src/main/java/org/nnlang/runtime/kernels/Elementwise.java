package org.nnlang.runtime.kernels;

/**
 * Element-wise kernels over flat ranges {@code [from, to)}.
 * <ul>
 *   <li>{@code add}: {@code y = a + b}; its gradient passes {@code dy} to both inputs unchanged.</li>
 *   <li>{@code oneHot}: row {@code r} of {@code y} is 1 at column {@code labels[r]} and 0 elsewhere (no gradient:
 *       labels are data).</li>
 *   <li>{@code sumOfSquares}: {@code Σ a²}, in double (for gradient norms); {@code scale}: {@code y = a · c}.</li>
 * </ul>
 */
public final class Elementwise {
    private Elementwise() {
    }

    public static void add(float[] a, float[] b, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = a[i] + b[i];
        }
    }

    public static double sumOfSquares(float[] a, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) a[i] * a[i];
        }
        return sum;
    }

    public static void scale(float[] a, float c, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = a[i] * c;
        }
    }

    /** Rows {@code [rowFrom, rowTo)} of {@code y: [n, classes]} from {@code labels: [n]} (class indices as floats). */
    public static void oneHot(float[] labels, float[] y, int classes, int rowFrom, int rowTo) {
        java.util.Arrays.fill(y, rowFrom * classes, rowTo * classes, 0f);
        for (int r = rowFrom; r < rowTo; r++) {
            y[r * classes + (int) labels[r]] = 1f;
        }
    }
}
