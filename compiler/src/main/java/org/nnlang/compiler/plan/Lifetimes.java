package org.nnlang.compiler.plan;

import java.util.List;
import java.util.Set;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * Which buffers of a plan are <em>transient</em> — their value matters only between the step that writes it and the
 * last step that reads it, inside one run of a schedule — and when, in each schedule, that is. Two transient buffers
 * may share memory when their lifetimes overlap in neither schedule ({@link #overlap}).
 *
 * <p>A buffer is transient only if all of these hold; anything else keeps memory of its own:
 * <ul>
 *   <li>its role is an activation, a gradient or scratch: parameters, optimizer and model state, hyperparameters,
 *       inputs, targets and the loss carry values across steps or to and from the code around the plan;</li>
 *   <li>it is not the plan's input, target, output or loss, nor one of the {@code keep} buffers the caller names;</li>
 *   <li>it has no initial value (an {@code init} promises a value before the first step);</li>
 *   <li>it is not an unbatched gradient: those are the parameters' gradients (and their clipped forms), which
 *       gradient checks and debugging read after a step, and they are small next to the per-sample buffers;</li>
 *   <li>in each schedule that touches it, a step writes it before any step reads it. A buffer read first — written
 *       by the other schedule, or updated in place by a step that reads and writes it — holds a value from before
 *       the schedule started, which a buffer sharing its memory would have overwritten.</li>
 * </ul>
 * A lifetime includes both ends: a step that reads {@code a} and writes {@code b} makes them overlap, so no kernel
 * ever writes into memory it is reading (kernels are not written to work in place).
 */
final class Lifetimes {
    /** Steps {@code first..last} of one schedule, both included. */
    record Interval(int first, int last) {
        boolean overlaps(Interval other) {
            return first <= other.last && other.first <= last;
        }
    }

    private final boolean[] transientBuffers;
    private final Interval[] training;
    private final Interval[] inference;

    private Lifetimes(boolean[] transientBuffers, Interval[] training, Interval[] inference) {
        this.transientBuffers = transientBuffers;
        this.training = training;
        this.inference = inference;
    }

    /** @param keep further buffers that code outside the plan reads, so must keep memory of their own */
    static Lifetimes of(ExecutionPlan plan, Set<Integer> keep) {
        int n = plan.buffers().size();
        boolean[] readFirst = new boolean[n];
        Interval[] training = scan(plan.trainingSteps(), n, readFirst);
        Interval[] inference = scan(plan.inferenceSteps(), n, readFirst);
        Set<Integer> external = new java.util.HashSet<>(List.of(plan.input(), plan.target(), plan.output(), plan.loss()));
        boolean[] transientBuffers = new boolean[n];
        for (BufferSpec buffer : plan.buffers()) {
            int id = buffer.id();
            transientBuffers[id] = isTransientRole(buffer) && buffer.init() == null
                    && !external.contains(id) && !keep.contains(id) && !readFirst[id];
        }
        return new Lifetimes(transientBuffers, training, inference);
    }

    private static boolean isTransientRole(BufferSpec buffer) {
        return switch (buffer.role()) {
            case ACTIVATION, SCRATCH -> true;
            case GRADIENT -> buffer.batched();
            default -> false;
        };
    }

    /**
     * Each buffer's lifetime in one schedule ({@code null} where no step touches it); sets {@code readFirst} for a
     * buffer some step reads before any step of the schedule has written it. Inputs are looked at before outputs,
     * so a step that reads and writes a buffer first counts as reading it.
     */
    private static Interval[] scan(List<StepSpec> steps, int n, boolean[] readFirst) {
        int[] first = new int[n];
        int[] last = new int[n];
        java.util.Arrays.fill(first, -1);
        for (int s = 0; s < steps.size(); s++) {
            StepSpec step = steps.get(s);
            for (int id : step.inputs()) {
                if (first[id] < 0) {
                    readFirst[id] = true;
                    first[id] = s;
                }
                last[id] = s;
            }
            for (int id : step.outputs()) {
                if (first[id] < 0) {
                    first[id] = s;
                }
                last[id] = s;
            }
        }
        Interval[] intervals = new Interval[n];
        for (int id = 0; id < n; id++) {
            intervals[id] = first[id] < 0 ? null : new Interval(first[id], last[id]);
        }
        return intervals;
    }

    boolean isTransient(int id) {
        return transientBuffers[id];
    }

    /** Whether buffers {@code a} and {@code b} are both needed at some step of either schedule. */
    boolean overlap(int a, int b) {
        return overlaps(training[a], training[b]) || overlaps(inference[a], inference[b]);
    }

    private static boolean overlaps(Interval a, Interval b) {
        return a != null && b != null && a.overlaps(b);
    }
}
