package org.nnlang.runtime.backend.cpu;

import java.util.List;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.Initialiser;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;

/** A plan on the CPU: Java arrays for buffers, and one bound step object per plan step. */
final class CpuExecutable implements Executable {
    private final ExecutionPlan plan;
    private final int capacity;
    private final Buffers buffers;
    private final WorkerPool pool;
    private final BoundStep[] training;
    private final BoundStep[] inference;
    private final float[] loss;

    CpuExecutable(ExecutionPlan plan, int capacity, Rng rng, WorkerPool pool) {
        this.plan = plan;
        this.capacity = capacity;
        this.pool = pool;
        this.buffers = new Buffers(plan, capacity);
        Initialiser.fillAll(plan, buffers::array, rng);
        this.training = bind(plan.trainingSteps(), rng);
        this.inference = bind(plan.inferenceSteps(), rng);
        this.loss = plan.loss() >= 0 ? buffers.array(plan.loss()) : null;
    }

    /** Binds each step; an activation right after the {@code linear} or {@code conv2d} it reads is fused into it. */
    private BoundStep[] bind(List<StepSpec> steps, Rng rng) {
        BoundStep[] bound = new BoundStep[steps.size()];
        for (int i = 0; i < bound.length; i++) {
            ElementwiseSteps.Epilogue epilogue = i + 1 < bound.length
                    ? ElementwiseSteps.Epilogue.fusedAfter(steps.get(i), steps.get(i + 1), buffers) : null;
            if (epilogue == null) {
                bound[i] = CpuKernels.bind(steps.get(i), buffers, pool, rng);
            } else {
                bound[i] = CpuKernels.bindWithEpilogue(steps.get(i), buffers, pool, epilogue);
                bound[++i] = ElementwiseSteps.FUSED;
            }
        }
        return bound;
    }

    @Override
    public ExecutionPlan plan() {
        return plan;
    }

    @Override
    public int batchCapacity() {
        return capacity;
    }

    @Override
    public float[] buffer(int id) {
        return buffers.array(id);
    }

    @Override
    public float trainStep(int batch) {
        if (loss == null) {
            throw new IllegalStateException("plan '" + plan.modelName() + "' has no training steps");
        }
        Executable.requireBatch(batch, capacity);
        for (BoundStep step : training) {
            step.run(batch);
        }
        return loss[0];
    }

    @Override
    public void infer(int batch) {
        Executable.requireBatch(batch, capacity);
        for (BoundStep step : inference) {
            step.run(batch);
        }
    }


    @Override
    public String deviceDescription() {
        return "cpu (" + pool.threads() + (pool.threads() == 1 ? " thread)" : " threads)");
    }

    @Override
    public void close() {
        pool.close();
    }
}
