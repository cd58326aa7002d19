package org.nnlang.runtime.plan;

import java.util.List;

/**
 * How much arithmetic a plan does, for reporting achieved GFLOP/s ({@code nn bench}): the multiply-accumulates (MACs)
 * the compiler counted for each step ({@link StepSpec#MACS_PER_SAMPLE}: matrix products and convolutions, forward and
 * gradients, from each op's own cost rule), times the batch. One MAC is two floating-point operations, so
 * {@code GFLOP/s = 2 · MACs / seconds / 1e9}. Element-wise kernels, losses, bias gradients and optimizer updates count
 * zero: they are a few operations per element and memory-bound, so counting them would flatter the figure rather
 * than explain it.
 */
public final class PlanCost {
    private PlanCost() {
    }

    /** The MACs of one run of {@code step} on {@code batch} samples. */
    public static long macs(StepSpec step, int batch) {
        Object perSample = step.attributes().get(StepSpec.MACS_PER_SAMPLE);
        return perSample == null ? 0 : batch * ((Number) perSample).longValue();
    }

    /** The MACs of a list of steps (a schedule) on {@code batch} samples. */
    public static long macs(List<StepSpec> steps, int batch) {
        long total = 0;
        for (StepSpec step : steps) {
            total += macs(step, batch);
        }
        return total;
    }

    /** The MACs of one training step (forward, backward, update) on {@code batch} samples. */
    public static long trainingStepMacs(ExecutionPlan plan, int batch) {
        return macs(plan.trainingSteps(), batch);
    }
}
