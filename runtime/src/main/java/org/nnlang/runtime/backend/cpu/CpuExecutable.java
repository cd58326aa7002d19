package org.nnlang.runtime.backend.cpu;

import java.util.List;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.Init;
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
        initialise(rng);
        this.training = bind(plan.trainingSteps(), rng);
        this.inference = bind(plan.inferenceSteps(), rng);
        this.loss = plan.loss() >= 0 ? buffers.array(plan.loss()) : null;
    }

    /** Fills parameters and state in plan order, so the same seed always gives the same weights. */
    private void initialise(Rng rng) {
        for (BufferSpec spec : plan.buffers()) {
            float[] array = buffers.array(spec.id());
            if (spec.init() instanceof Init.Constant constant) {
                java.util.Arrays.fill(array, (float) constant.value());
            } else if (spec.init() instanceof Init.Uniform uniform) {
                float bound = (float) uniform.bound();
                for (int i = 0; i < array.length; i++) {
                    array[i] = rng.uniform(-bound, bound);
                }
            }
        }
    }

    private BoundStep[] bind(List<StepSpec> steps, Rng rng) {
        BoundStep[] bound = new BoundStep[steps.size()];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = CpuKernels.bind(steps.get(i), buffers, pool, rng);
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
        checkBatch(batch);
        for (BoundStep step : training) {
            step.run(batch);
        }
        return loss[0];
    }

    @Override
    public void infer(int batch) {
        checkBatch(batch);
        for (BoundStep step : inference) {
            step.run(batch);
        }
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + capacity);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
