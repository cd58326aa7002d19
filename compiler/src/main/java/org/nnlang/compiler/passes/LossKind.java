package org.nnlang.compiler.passes;

/** The losses a {@code train} block can name. */
public enum LossKind {
    /** Softmax cross-entropy on class indices (PyTorch's {@code CrossEntropyLoss}). */
    CROSS_ENTROPY("cross_entropy"),
    /** Mean squared error against the one-hot encoding of the class (PyTorch's {@code MSELoss}). */
    MSE("mse");

    private final String keyword;

    LossKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }
}
