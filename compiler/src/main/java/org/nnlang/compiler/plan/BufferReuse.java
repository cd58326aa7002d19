package org.nnlang.compiler.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;

/**
 * Gives a plan's transient buffers shared storage by liveness ({@link Lifetimes}): the static graph tells, before
 * anything runs, which values are dead by the time another is written, so their memory can be handed on instead of
 * allocated twice.
 *
 * <p>Deciding the fewest bytes is NP-hard in general, so this is the usual greedy colouring: take the buffers from
 * largest to smallest and put each into the first slot none of whose buffers is alive at the same time, or into a new
 * slot. Largest first means a slot's size is fixed by its first buffer and the smaller ones fill its gaps. Batched and
 * unbatched buffers go into separate slots: their sizes compare only at a given batch (the plan is loaded for any),
 * so keeping them apart makes "a slot is as big as its first buffer" true at every batch capacity.
 */
public final class BufferReuse {
    private BufferReuse() {
    }

    /**
     * The plan with its transient buffers assigned to shared slots.
     *
     * @param keep buffers beyond the plan's own input, target, output and loss that outside code reads
     */
    public static ExecutionPlan apply(ExecutionPlan plan, Set<Integer> keep) {
        Lifetimes lifetimes = Lifetimes.of(plan, keep);
        List<List<Integer>> groups = new ArrayList<>();
        List<BufferSpec> batched = new ArrayList<>();
        List<BufferSpec> unbatched = new ArrayList<>();
        for (BufferSpec buffer : plan.buffers()) {
            if (!lifetimes.isTransient(buffer.id())) {
                groups.add(new ArrayList<>(List.of(buffer.id())));
            } else {
                (buffer.batched() ? batched : unbatched).add(buffer);
            }
        }
        groups.addAll(colour(batched, lifetimes));
        groups.addAll(colour(unbatched, lifetimes));
        return plan.withSlots(number(groups, plan.buffers().size()));
    }

    /** Greedy interval colouring, largest buffer first (ties by id, so the plan is the same on every run). */
    private static List<List<Integer>> colour(List<BufferSpec> buffers, Lifetimes lifetimes) {
        List<BufferSpec> bySize = new ArrayList<>(buffers);
        bySize.sort(Comparator.comparingInt(BufferSpec::sampleSize).reversed().thenComparingInt(BufferSpec::id));
        List<List<Integer>> slots = new ArrayList<>();
        for (BufferSpec buffer : bySize) {
            List<Integer> home = null;
            for (List<Integer> slot : slots) {
                if (slot.stream().noneMatch(other -> lifetimes.overlap(buffer.id(), other))) {
                    home = slot;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                slots.add(home);
            }
            home.add(buffer.id());
        }
        return slots;
    }

    /** Slot numbers 0..k-1 in the order of each slot's lowest buffer id, as {@link ExecutionPlan#slots} asks. */
    private static List<Integer> number(List<List<Integer>> groups, int buffers) {
        groups.sort(Comparator.comparingInt(group -> group.stream().mapToInt(Integer::intValue).min().orElseThrow()));
        Integer[] slots = new Integer[buffers];
        for (int slot = 0; slot < groups.size(); slot++) {
            for (int id : groups.get(slot)) {
                slots[id] = slot;
            }
        }
        return List.of(slots);
    }
}
