package org.nnlang.runtime.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What the compiler hands the runtime: every buffer a model needs, allocated once, and two fixed schedules over them.
 * {@link #trainingSteps} runs forward, loss, backward and the optimizer update for one batch; {@link #inferenceSteps}
 * runs the forward pass alone (in evaluation mode). Neither allocates: kernels only read and write these buffers.
 *
 * <p>This is the contract between the compiler and every backend, so it is plain data: the runtime never needs the
 * compiler to run a plan.
 *
 * <h2>Storage slots: buffers that share memory</h2>
 * A buffer is not the same thing as the memory behind it. {@link #slots} maps every buffer id to a <em>storage
 * slot</em>; buffers in the same slot share one piece of memory. The compiler puts two buffers in one slot only when
 * no step of either schedule needs both at once: each is written before it is read in every schedule that touches
 * it, and their lifetimes (from the first step that writes one to the last step that reads it) do not overlap in
 * either schedule. A value that is dead once a step has used it (most activations and gradients, whose lifetime
 * ends inside one training step) thus lends its memory to a later one. Buffers whose values outlive a step — inputs,
 * targets, parameters, optimizer and model state, hyperparameters, the loss, the output, parameter gradients — are
 * always alone in their slot (the constructor rejects a plan that shares a buffer with an {@code init} or of a role
 * other than activation, gradient or scratch), so a backend can initialise, save and load them through their own
 * memory as before.
 *
 * <p>A backend saves the memory by honouring the mapping (giving every buffer memory of its own is still correct,
 * only larger, since sharing never adds a constraint on the values):
 * <ul>
 *   <li>allocate one piece of memory per slot (slots are numbered {@code 0 .. slotCount()-1}), big enough for the
 *       largest buffer in it at the batch capacity it loads the plan for ({@link #slotCapacities});</li>
 *   <li>bind each buffer id to its slot's memory, starting at offset 0, so {@code Executable.buffer(id)} of two
 *       buffers in one slot returns the same memory, which may be longer than either buffer needs;</li>
 *   <li>never assume a shared slot keeps a value from one schedule run to the next: after a step, only buffers that
 *       are alone in their slot ({@link #isShared} false) are guaranteed to hold what the step wrote.</li>
 * </ul>
 * A plan built with reuse off (or by code that does not know about slots) has the identity mapping: slot {@code i}
 * is buffer {@code i}, one allocation per buffer. Slots are numbered in the order of their lowest buffer id.
 *
 * @param input    the buffer the data loader writes a batch of samples into
 * @param target   the buffer it writes the labels into ({@code -1} if the plan cannot train)
 * @param output   the model's output (logits for classifiers)
 * @param loss     the one-float buffer holding the mean loss of the last training step ({@code -1} if none)
 * @param slots    for each buffer id, its storage slot; {@code null} means the identity (no sharing)
 */
public record ExecutionPlan(String modelName, List<BufferSpec> buffers, List<StepSpec> inferenceSteps,
                            List<StepSpec> trainingSteps, int input, int target, int output, int loss,
                            List<Integer> slots) {
    public ExecutionPlan {
        buffers = List.copyOf(buffers);
        inferenceSteps = List.copyOf(inferenceSteps);
        trainingSteps = List.copyOf(trainingSteps);
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).id() != i) {
                throw new IllegalArgumentException("buffer ids must be 0..n-1 in order; found " + buffers.get(i).id()
                        + " at position " + i);
            }
        }
        slots = slots == null ? identity(buffers.size()) : List.copyOf(slots);
        checkSlots(slots, buffers);
    }

    /** A plan where every buffer has memory of its own (the form plans had before slots existed). */
    public ExecutionPlan(String modelName, List<BufferSpec> buffers, List<StepSpec> inferenceSteps,
                         List<StepSpec> trainingSteps, int input, int target, int output, int loss) {
        this(modelName, buffers, inferenceSteps, trainingSteps, input, target, output, loss, null);
    }

    /** This plan with another slot mapping (the compiler plans the steps first and the memory after). */
    public ExecutionPlan withSlots(List<Integer> newSlots) {
        return new ExecutionPlan(modelName, buffers, inferenceSteps, trainingSteps, input, target, output, loss,
                newSlots);
    }

    public BufferSpec buffer(int id) {
        return buffers.get(id);
    }

    /** The storage slot of buffer {@code id}. */
    public int slot(int id) {
        return slots.get(id);
    }

    /** How many pieces of memory a backend allocates for this plan. */
    public int slotCount() {
        return slots.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    }

    /** Whether buffer {@code id} shares its memory with another buffer (so its value does not outlive its use). */
    public boolean isShared(int id) {
        int slot = slot(id);
        for (int other = 0; other < slots.size(); other++) {
            if (other != id && slots.get(other) == slot) {
                return true;
            }
        }
        return false;
    }

    /**
     * Floats to allocate per slot when at most {@code batchCapacity} samples go through at once: the largest
     * {@link BufferSpec#capacity} of the buffers in it.
     */
    public long[] slotCapacities(int batchCapacity) {
        long[] capacities = new long[slotCount()];
        for (BufferSpec buffer : buffers) {
            int slot = slot(buffer.id());
            capacities[slot] = Math.max(capacities[slot], buffer.capacity(batchCapacity));
        }
        return capacities;
    }

    public boolean canTrain() {
        return target >= 0 && loss >= 0 && !trainingSteps.isEmpty();
    }

    /** The buffer called {@code name}, if the plan has one (e.g. {@code learning_rate}). */
    public java.util.Optional<BufferSpec> bufferNamed(String name) {
        return buffers.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The number of trainable floats, the figure {@code nn check} prints as "parameters". */
    public long parameterCount() {
        return buffers.stream().filter(b -> b.role() == BufferRole.PARAMETER).mapToLong(BufferSpec::sampleSize).sum();
    }

    private static List<Integer> identity(int size) {
        List<Integer> identity = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            identity.add(i);
        }
        return identity;
    }

    /** One slot per buffer, numbered densely from 0, so a backend can allocate them as an array. */
    private static void checkSlots(List<Integer> slots, List<BufferSpec> buffers) {
        if (slots.size() != buffers.size()) {
            throw new IllegalArgumentException("a plan needs one slot per buffer: " + slots.size() + " slots for "
                    + buffers.size() + " buffers");
        }
        boolean[] used = new boolean[slots.size()];
        for (int slot : slots) {
            if (slot < 0 || slot >= slots.size()) {
                throw new IllegalArgumentException("slot " + slot + " outside 0.." + (slots.size() - 1));
            }
            used[slot] = true;
        }
        int count = slots.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        for (int slot = 0; slot < count; slot++) {
            if (!used[slot]) {
                throw new IllegalArgumentException("slots must be numbered 0..k-1 without gaps; slot " + slot
                        + " has no buffer");
            }
        }
        // Backends initialise and save these through their arrays, so their memory must be theirs alone.
        int[] members = new int[count];
        slots.forEach(slot -> members[slot]++);
        for (BufferSpec buffer : buffers) {
            if (members[slots.get(buffer.id())] > 1 && carriesValueAcrossSteps(buffer)) {
                throw new IllegalArgumentException("buffer " + buffer.name() + " (" + buffer.role()
                        + ") keeps its value between steps, so it cannot share a storage slot");
            }
        }
    }

    private static boolean carriesValueAcrossSteps(BufferSpec buffer) {
        return buffer.init() != null || switch (buffer.role()) {
            case ACTIVATION, GRADIENT, SCRATCH -> false;
            default -> true;
        };
    }
}
