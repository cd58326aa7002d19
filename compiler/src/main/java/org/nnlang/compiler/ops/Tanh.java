package org.nnlang.compiler.ops;

/**
 * {@code tanh}: {@code y = tanh(x)} element-wise.
 * <br>Backward from the output: {@code dx = dy · (1 − y²)}.
 */
public final class Tanh extends Activation {
    public Tanh() {
        super("tanh", true);
    }
}
