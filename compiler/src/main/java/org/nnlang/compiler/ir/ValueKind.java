package org.nnlang.compiler.ir;

/** What a value of the graph is; it decides whether a value is trained, fed, computed or carried across steps. */
public enum ValueKind {
    /** A batch of samples fed in from the data. */
    INPUT,
    /** The labels of the batch. */
    TARGET,
    /** A trainable weight or bias. */
    PARAMETER,
    /** Computed by a node from other values. */
    COMPUTED,
    /** Optimizer state (moments, momentum, step count), carried from one training step to the next. */
    STATE,
    /**
     * State the model itself carries and updates without gradients, such as batch normalisation's running statistics
     * (PyTorch's "buffers"): saved with the weights, used in evaluation.
     */
    MODEL_STATE,
    /**
     * A number the training loop sets between steps, such as the learning rate a schedule changes: an input of the
     * optimizer nodes rather than a constant, so the graph stays the same while the number moves.
     */
    HYPERPARAMETER
}
