package org.nnlang.runtime.backend;

import org.nnlang.runtime.plan.ExecutionPlan;

/**
 * A plan loaded onto a backend: buffers allocated and initialised, kernels bound to them. Running a step allocates
 * nothing.
 */
public interface Executable extends AutoCloseable {
    ExecutionPlan plan();

    /** The most samples one step can take (the buffers' batch dimension). */
    int batchCapacity();

    /**
     * Buffer {@code id} as host memory. The data loader writes inputs and targets here before a step; readers see
     * the values of the last step.
     */
    float[] buffer(int id);

    /** One training step on the first {@code batch} samples of the input buffers; returns the batch's mean loss. */
    float trainStep(int batch);

    /** The forward pass alone on the first {@code batch} samples; the result is in the output buffer. */
    void infer(int batch);

    /**
     * Where the steps actually run, for reports and progress lines: {@code cpu (2 threads)}, or the accelerator's
     * own name, e.g. {@code OpenCL GPU: NVIDIA H100}. Never the device that was asked for, when that differs.
     */
    String deviceDescription();

    /**
     * Makes {@link #buffer} show the device's current parameters, model state and optimizer state, before someone
     * reads them (checkpoints, {@code nn inspect}). Backends whose buffers are host memory have nothing to do.
     */
    default void syncToHost() {
    }

    /**
     * Sends what was written into {@link #buffer} of parameters, model state and optimizer state (a checkpoint
     * loaded after {@code load}) to the device. Inputs, targets and hyperparameters need no call: every step sends
     * them. Backends whose buffers are host memory have nothing to do.
     */
    default void syncToDevice() {
    }

    /** Checks a step's batch size against the capacity the plan was loaded for; every backend calls it first. */
    static void requireBatch(int batch, int capacity) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + capacity);
        }
    }

    /** Releases threads and device memory; the executable cannot be used afterwards. */
    @Override
    void close();
}
