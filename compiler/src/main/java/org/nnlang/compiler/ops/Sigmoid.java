package org.nnlang.compiler.ops;

/**
 * {@code sigmoid}: {@code y = 1 / (1 + e^(−x))} element-wise.
 * <br>Backward from the output: {@code dx = dy · y · (1 − y)}.
 */
public final class Sigmoid extends Activation {
    public Sigmoid() {
        super("sigmoid", true);
    }
}
