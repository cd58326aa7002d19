package org.nnlang.runtime.train;

import org.nnlang.runtime.plan.ExecutionPlan;

/** Everything needed to train one model: the compiled plan and the settings of its {@code train} block. */
public record TrainingJob(ExecutionPlan plan, TrainConfig config) {
}
