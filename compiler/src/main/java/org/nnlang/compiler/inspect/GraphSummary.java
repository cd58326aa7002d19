package org.nnlang.compiler.inspect;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A torchinfo-style summary of one graph: a row per node and the totals.
 *
 * @param model        the model's name
 * @param graph        which graph: {@code inference}, {@code training}, or a pass name
 * @param batch        the batch size the byte counts and batch MACs are given for
 * @param inputs       the values the graph is fed
 * @param rows         the nodes in schedule order
 * @param params       trainable parameters of the model (PyTorch's {@code sum(p.numel())})
 * @param modelState   elements of model state that is saved but not trained (batch normalisation's running
 *                     statistics, PyTorch's buffers)
 * @param memory       the plan's buffers at {@code batch}, or {@code null} without a train block (no plan)
 */
public record GraphSummary(String model, String graph, int batch, List<Operand> inputs, List<NodeRow> rows,
                           long params, long modelState, Memory memory) {
    public GraphSummary {
        inputs = List.copyOf(inputs);
        rows = List.copyOf(rows);
    }

    /**
     * What the execution plan allocates. Every storage slot is allocated once, when the plan is loaded, and lives
     * for the whole run (a training step allocates nothing), so the sum of the slots IS the peak training footprint
     * of the tensors: parameters, optimizer state, activations and gradients together. Buffers whose lifetimes never
     * overlap share a slot (buffer reuse), so the slots take less than the buffers would on their own.
     *
     * @param totalBytes               every buffer counted on its own: the footprint without reuse
     * @param bytesByRole              bytes per buffer role ({@code parameter}, {@code activation}, …), without reuse
     * @param slots                    how many pieces of memory the plan's buffers live in
     * @param allocatedBytes           the slots' bytes: what a backend allocates, with reuse
     * @param transientBytes           activations, non-parameter gradients and scratch, each buffer on its own
     * @param transientAllocatedBytes  the same buffers in their slots, with reuse
     */
    public record Memory(int batch, int buffers, long totalBytes, Map<String, Long> bytesByRole, int slots,
                         long allocatedBytes, long transientBytes, long transientAllocatedBytes) {
        public Memory {
            bytesByRole = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bytesByRole));
        }
    }

    /** Multiply-accumulates per sample, by phase (every phase present, zero where it has no nodes). */
    public Map<Phase, Long> macsByPhase() {
        Map<Phase, Long> macs = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            macs.put(phase, 0L);
        }
        rows.forEach(r -> macs.merge(r.phase(), r.macs(), Long::sum));
        return macs;
    }

    /** Multiply-accumulates per sample of all rows. */
    public long macs() {
        return rows.stream().mapToLong(NodeRow::macs).sum();
    }

    /** The parameters the rows count, which is {@link #params} when every parameter is read. */
    public long rowParams() {
        return rows.stream().mapToLong(NodeRow::params).sum();
    }

    /** Bytes of every node's outputs at {@link #batch} (views count nothing). */
    public long activationBytes() {
        return rows.stream().mapToLong(r -> r.activationBytes(batch)).sum();
    }

    /** The row called {@code name}, or null. */
    public NodeRow row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    /** The phases that have rows, in order. */
    public List<Phase> phases() {
        return rows.stream().map(NodeRow::phase).distinct().sorted().toList();
    }
}
