package org.nnlang.runtime.plan;

/** What a buffer of a plan holds; the executor uses it to decide what to initialise, feed, save and report. */
public enum BufferRole {
    /** A batch of samples, written by the data loader before each step. */
    INPUT,
    /** The labels of that batch: class indices (stored as floats) or regression targets. */
    TARGET,
    /** A trainable weight or bias, initialised once from the plan's {@link Init}. */
    PARAMETER,
    /** d(loss)/d(something), recomputed every step. */
    GRADIENT,
    /** Momentum, Adam moments, step counters: state an optimizer carries from step to step. */
    OPTIMIZER_STATE,
    /**
     * State of the model updated without gradients, such as batch normalisation's running statistics: saved in
     * checkpoints with the parameters, read by evaluation.
     */
    MODEL_STATE,
    /** An intermediate value of the forward pass. */
    ACTIVATION,
    /** A number the training loop sets between steps, such as the scheduled learning rate. */
    HYPERPARAMETER,
    /** The scalar loss of the last step. */
    LOSS,
    /** Working memory of a kernel that is not a value of the graph. */
    SCRATCH
}
