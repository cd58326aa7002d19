package org.nnlang.runtime.tornado;

/**
 * How a reduction is split for the device: {@code outputs} sums (one per weight, or per channel), each over
 * {@code length} units (output rows of the batch, or values of a channel), cut into {@code count} chunks of at most
 * {@code chunkLength} units. Phase 1 runs one work item per (output, chunk) and writes a partial sum; phase 2 runs
 * one work item per output and adds its {@code count} partials in chunk order. No two work items write the same
 * float and the order of every addition is fixed, so the result is the same on every run (no atomics).
 *
 * <p>Why two phases: one work item per output, looping over the whole batch, gives a GPU a few hundred threads
 * with tens of thousands of steps each; the GPU sits nearly idle. Chunks give it tens of thousands of threads.
 *
 * <p>Host code: the plan is chosen once per step when the plan is loaded, for the plan's batch capacity. A smaller
 * batch leaves the last chunks empty; they write 0.
 */
record Chunks(int outputs, int length, int chunkLength, int count) {
    /** Phase 1 work items wanted: enough to fill a large GPU (an H100 runs about 270,000 threads at once). */
    static final int TARGET_ITEMS = 1 << 17;

    /**
     * The split of {@code length} units, each costing about {@code unitWork} additions, for {@code outputs} sums.
     * Phase 1 loops over a chunk's {@code chunkLength × unitWork} additions and phase 2 over {@code count} partials,
     * so the chunk count is about the square root of the work per output, which keeps both loops short; but no more
     * chunks than it takes to reach {@link #TARGET_ITEMS} work items (more would only grow the partials).
     */
    static Chunks of(int outputs, int length, int unitWork) {
        long work = (long) length * Math.max(1, unitWork);
        int balanced = (int) Math.ceil(Math.sqrt(work));
        int enough = (TARGET_ITEMS + outputs - 1) / outputs;
        int wanted = Math.max(1, Math.min(Math.min(balanced, enough), length));
        int chunkLength = (length + wanted - 1) / wanted;
        // Recount: with the rounded-up chunk length, fewer chunks may cover the length.
        return new Chunks(outputs, length, chunkLength, (length + chunkLength - 1) / chunkLength);
    }

    /** Partial sums phase 1 writes: one per output and chunk. */
    int items() {
        return outputs * count;
    }
}
