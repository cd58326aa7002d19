package org.nnlang.runtime.backend.cpu;

/** One step of a plan with its buffers and kernel resolved, built once when the plan is loaded. */
interface BoundStep {
    /** Runs the step on the first {@code batch} samples. Must not allocate. */
    void run(int batch);
}
