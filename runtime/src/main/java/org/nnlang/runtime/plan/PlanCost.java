package org.nnlang.runtime.plan;

import java.util.List;

/**
 * How much arithmetic a plan does, for reporting achieved GFLOP/s ({@code nn bench}): the multiply-adds (MACs) of
 * its matrix products. One MAC is two floating-point operations, so {@code GFLOP/s = 2 · MACs / seconds / 1e9}.
 *
 * <p>Counted today: {@code linear} and its two matrix-product gradients, each {@code n · in · out} MACs for a batch
 * of {@code n} (the forward {@code x·Wᵀ}, the input gradient {@code dy·W}, the weight gradient {@code dyᵀ·x}).
 * Everything else counts zero: element-wise kernels, losses, bias gradients and optimizer updates are a few
 * operations per element and memory-bound, so counting them would flatter the figure rather than explain it.
 * Convolutions will be counted when their fast kernels arrive.
 */
public final class PlanCost {
    private PlanCost() {
    }

    /** The MACs of one run of {@code step} on {@code batch} samples (zero for kernels not counted, see above). */
    public static long macs(StepSpec step, ExecutionPlan plan, int batch) {
        return switch (step.kernel()) {
            // y [n, out] = x [n, in] · Wᵀ: in = x's sample size, out = y's.
            case "linear" -> (long) batch * plan.buffer(step.input(0)).sampleSize()
                    * plan.buffer(step.output(0)).sampleSize();
            // dx [n, in] = dy [n, out] · W.
            case "linear_grad_input" -> (long) batch * plan.buffer(step.input(0)).sampleSize()
                    * plan.buffer(step.output(0)).sampleSize();
            // dW [out, in] = dyᵀ · x, a sum over the batch: the size of dW times n.
            case "linear_grad_weight" -> (long) batch * plan.buffer(step.output(0)).sampleSize();
            default -> 0L;
        };
    }

    /** The MACs of a list of steps (a schedule of {@code plan}) on {@code batch} samples. */
    public static long macs(List<StepSpec> steps, ExecutionPlan plan, int batch) {
        long total = 0;
        for (StepSpec step : steps) {
            total += macs(step, plan, batch);
        }
        return total;
    }

    /** The MACs of one training step (forward, backward, update) on {@code batch} samples. */
    public static long trainingStepMacs(ExecutionPlan plan, int batch) {
        return macs(plan.trainingSteps(), plan, batch);
    }
}
