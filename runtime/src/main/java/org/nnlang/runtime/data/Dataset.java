package org.nnlang.runtime.data;

/**
 * Labelled samples held in memory as floats: {@code images} is {@code count × sampleSize} row-major, pixels already
 * scaled to [0, 1]; {@code labels[i]} is the class of sample {@code i}.
 *
 * @param sampleShape the shape of one sample, e.g. {@code [1, 28, 28]}
 * @param classes     how many distinct classes the labels may take (labels are {@code 0..classes-1})
 * @param source      where the data came from, for messages ({@code "bundled Fashion-MNIST sample"}, a path)
 */
public record Dataset(String source, float[] images, int[] labels, int count, int[] sampleShape, int classes) {
    public int sampleSize() {
        int size = 1;
        for (int d : sampleShape) {
            size *= d;
        }
        return size;
    }
}
