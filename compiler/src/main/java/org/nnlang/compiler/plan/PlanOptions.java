package org.nnlang.compiler.plan;

/**
 * Choices the planner makes that change memory, never results.
 *
 * @param reuseBuffers let buffers whose lifetimes do not overlap share storage ({@link BufferReuse}); off, every
 *                     buffer keeps its own memory, so the value of every intermediate buffer can still be read after
 *                     a step — for tests that compare activations and gradients, and for debugging a kernel
 */
public record PlanOptions(boolean reuseBuffers) {
    /** What {@code nn train} and the other commands use: buffers reused by liveness. */
    public static final PlanOptions DEFAULT = new PlanOptions(true);
    /** One allocation per buffer, every intermediate value readable after a step. */
    public static final PlanOptions NO_REUSE = new PlanOptions(false);
}
