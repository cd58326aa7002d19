package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;

/** The plan's buffers as Java arrays, allocated once for {@code capacity} samples. */
final class Buffers {
    private final ExecutionPlan plan;
    private final float[][] arrays;

    Buffers(ExecutionPlan plan, int capacity) {
        this.plan = plan;
        this.arrays = new float[plan.buffers().size()][];
        for (BufferSpec spec : plan.buffers()) {
            arrays[spec.id()] = new float[spec.capacity(capacity)];
        }
    }

    float[] array(int id) {
        return arrays[id];
    }

    /** The per-sample (or whole, if unbatched) dimensions of buffer {@code id}. */
    int[] dims(int id) {
        return plan.buffer(id).dims();
    }

    boolean isBatched(int id) {
        return plan.buffer(id).batched();
    }

    /** Floats per sample of a batched buffer, or in all of an unbatched one. */
    int sampleSize(int id) {
        return plan.buffer(id).sampleSize();
    }
}
