package org.nnlang.compiler.ir;

import java.util.Arrays;

/**
 * The shape of a value. A batched value has the symbolic batch dimension {@code N} in front of {@code dims}: the
 * same compiled graph serves any batch size. Parameters and the loss are not batched.
 */
public final class TensorType {
    private final boolean batched;
    private final int[] dims;

    private TensorType(boolean batched, int[] dims) {
        this.batched = batched;
        this.dims = dims.clone();
    }

    /** {@code [N, dims...]}: one {@code dims}-shaped sample per row of the batch. */
    public static TensorType batched(int... dims) {
        return new TensorType(true, dims);
    }

    /** Exactly {@code dims}, whatever the batch size. */
    public static TensorType fixed(int... dims) {
        return new TensorType(false, dims);
    }

    /** A single number, such as the loss. */
    public static TensorType scalar() {
        return new TensorType(false, new int[0]);
    }

    public boolean isBatched() {
        return batched;
    }

    /** The dimensions after the batch dimension (all of them for an unbatched value). */
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int index) {
        return dims[index];
    }

    /** Elements per sample (batched) or in all (unbatched). */
    public int size() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && batched == t.batched && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims) * 2 + (batched ? 1 : 0);
    }

    /** {@code [N, 128]}, {@code [128, 784]}, {@code []}: how shapes appear in every message and dump. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        if (batched) {
            s.append('N');
        }
        for (int i = 0; i < dims.length; i++) {
            if (batched || i > 0) {
                s.append(", ");
            }
            s.append(dims[i]);
        }
        return s.append(']').toString();
    }
}
