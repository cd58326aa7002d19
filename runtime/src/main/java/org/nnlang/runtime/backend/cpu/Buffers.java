package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;

/**
 * The plan's buffers as Java arrays, allocated once for {@code capacity} samples: one array per storage slot of the
 * plan ({@link ExecutionPlan#slots}), so buffers the compiler found never live at the same time share one array. An
 * array can therefore be longer than the buffer it stands for: kernels take sizes from the buffer's spec and the
 * batch, never from the array's length.
 */
final class Buffers {
    private final ExecutionPlan plan;
    private final int capacity;
    private final float[][] arrays;

    Buffers(ExecutionPlan plan, int capacity) {
        this.plan = plan;
        this.capacity = capacity;
        long[] slotCapacities = plan.slotCapacities(capacity);
        float[][] slots = new float[slotCapacities.length][];
        for (int slot = 0; slot < slots.length; slot++) {
            slots[slot] = new float[Math.toIntExact(slotCapacities[slot])];
        }
        this.arrays = new float[plan.buffers().size()][];
        for (BufferSpec spec : plan.buffers()) {
            arrays[spec.id()] = slots[plan.slot(spec.id())];
        }
    }

    float[] array(int id) {
        return arrays[id];
    }

    /** The most samples a step can take: batched buffers have room for this many. */
    int batchCapacity() {
        return capacity;
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
