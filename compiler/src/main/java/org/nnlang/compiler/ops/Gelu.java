package org.nnlang.compiler.ops;

/**
 * {@code gelu}: PyTorch's default, exact GELU, {@code y = x · Φ(x)} with {@code Φ(x) = (1 + erf(x/√2)) / 2}.
 * <br>Backward from the input: {@code dx = dy · (Φ(x) + x · φ(x))}, {@code φ} the standard normal density.
 */
public final class Gelu extends Activation {
    public Gelu() {
        super("gelu", false);
    }
}
