package org.nnlang.compiler.ops;

/**
 * {@code relu}: {@code y = max(x, 0)} element-wise, any shape.
 * <br>Backward: {@code dx = dy} where {@code y > 0}, else 0 (PyTorch's {@code threshold_backward}, which reads the
 * output, so the input need not be kept).
 */
public final class Relu extends Activation {
    public Relu() {
        super("relu", true);
    }
}
