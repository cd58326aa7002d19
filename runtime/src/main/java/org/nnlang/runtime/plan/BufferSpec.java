package org.nnlang.runtime.plan;

import java.util.Arrays;

/**
 * One buffer of a plan. A batched buffer holds {@code batch × dims} floats (row-major, sample-major: sample
 * {@code i} starts at {@code i × sampleSize()}); an unbatched one holds exactly {@code dims}.
 *
 * @param name a readable name for printing and checkpoints, e.g. {@code fc1.weight} or {@code grad(fc1.weight)}
 * @param init how the executor fills it when the plan is loaded (parameters, optimizer state); {@code null} for
 *             buffers every step overwrites before reading
 */
public record BufferSpec(int id, String name, BufferRole role, int[] dims, boolean batched, Init init) {
    public BufferSpec {
        dims = dims.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Floats per sample (batched) or in all (unbatched). */
    public int sampleSize() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /** How many floats to allocate when at most {@code batchCapacity} samples go through at once. */
    public int capacity(int batchCapacity) {
        return batched ? batchCapacity * sampleSize() : sampleSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferSpec b && id == b.id && name.equals(b.name) && role == b.role
                && Arrays.equals(dims, b.dims) && batched == b.batched && java.util.Objects.equals(init, b.init);
    }

    @Override
    public int hashCode() {
        return 31 * id + name.hashCode();
    }

    /** {@code [N, 128]} for a batched buffer, {@code [128, 784]} otherwise. */
    public String shapeText() {
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
