package org.nnlang.compiler.inspect;

import java.util.Locale;

/**
 * Which part of a training step a node belongs to, decided by the pass that added it: the model's own nodes
 * ({@code check}), the loss ({@code attach-loss}), the gradients ({@code autodiff}) and the parameter updates
 * ({@code optimizer}).
 */
public enum Phase {
    FORWARD,
    LOSS,
    BACKWARD,
    OPTIMIZER;

    /** {@code forward}, {@code loss}, …: how the phase appears in tables and JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
