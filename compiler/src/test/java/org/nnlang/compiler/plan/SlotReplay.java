package org.nnlang.compiler.plan;

import java.util.ArrayList;
import java.util.List;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * An independent check of a plan's storage slots, written without the planner's code: it replays each schedule,
 * tracking which buffer's value each slot holds, and lists every place where sharing would lose a value.
 * <ul>
 *   <li>a step reads a buffer whose slot last received another buffer's value (or, for a shared slot, nothing yet in
 *       this run of the schedule: the other schedule may have run in between);</li>
 *   <li>one step touches two different buffers of the same slot (a kernel would write memory it reads);</li>
 *   <li>a buffer that outside code reads after a step, or that carries a value from step to step, shares its slot.</li>
 * </ul>
 */
final class SlotReplay {
    private SlotReplay() {
    }

    /** Every violation found, as readable lines; empty when the slots are safe. */
    static List<String> violations(ExecutionPlan plan) {
        List<String> problems = new ArrayList<>();
        replay("training", plan.trainingSteps(), plan, problems);
        replay("inference", plan.inferenceSteps(), plan, problems);
        for (BufferSpec buffer : plan.buffers()) {
            if (mustBeAlone(buffer, plan) && plan.isShared(buffer.id())) {
                problems.add(buffer.name() + " (" + buffer.role() + ") shares slot " + plan.slot(buffer.id()));
            }
        }
        return problems;
    }

    private static void replay(String schedule, List<StepSpec> steps, ExecutionPlan plan, List<String> problems) {
        int[] holder = new int[plan.slotCount()];
        java.util.Arrays.fill(holder, -1);
        for (BufferSpec buffer : plan.buffers()) {
            if (!plan.isShared(buffer.id())) {
                holder[plan.slot(buffer.id())] = buffer.id(); // memory of its own keeps its value between runs
            }
        }
        for (int s = 0; s < steps.size(); s++) {
            StepSpec step = steps.get(s);
            String where = schedule + " step " + s + " (" + step.kernel() + ")";
            List<Integer> touched = new ArrayList<>();
            for (int id : step.inputs()) {
                touched.add(id);
            }
            for (int id : step.outputs()) {
                touched.add(id);
            }
            for (int a : touched) {
                for (int b : touched) {
                    if (a < b && plan.slot(a) == plan.slot(b)) {
                        problems.add(where + " touches " + name(plan, a) + " and " + name(plan, b)
                                + ", which share slot " + plan.slot(a));
                    }
                }
            }
            for (int id : step.inputs()) {
                int held = holder[plan.slot(id)];
                if (held != id) {
                    problems.add(where + " reads " + name(plan, id) + " but its slot holds "
                            + (held < 0 ? "nothing written in this run" : name(plan, held)));
                }
            }
            for (int id : step.outputs()) {
                holder[plan.slot(id)] = id;
            }
        }
    }

    /** Buffers with a value before or after a step: state, data, results, and parameter gradients. */
    private static boolean mustBeAlone(BufferSpec buffer, ExecutionPlan plan) {
        int id = buffer.id();
        boolean gradientOfParameter = buffer.role() == BufferRole.GRADIENT && !buffer.batched();
        return (buffer.role() != BufferRole.ACTIVATION && buffer.role() != BufferRole.GRADIENT
                && buffer.role() != BufferRole.SCRATCH) || gradientOfParameter || buffer.init() != null
                || id == plan.input() || id == plan.target() || id == plan.output() || id == plan.loss();
    }

    private static String name(ExecutionPlan plan, int id) {
        return plan.buffer(id).name();
    }
}
