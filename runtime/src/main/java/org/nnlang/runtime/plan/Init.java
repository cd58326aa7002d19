package org.nnlang.runtime.plan;

/**
 * How a buffer starts out. The compiler works out the numbers (for PyTorch's default of a linear layer, weights and
 * bias both draw from {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}); the runtime only draws them.
 */
public sealed interface Init {
    /** Every element is {@code value}. */
    record Constant(double value) implements Init {
    }

    /** Every element drawn independently from {@code U(-bound, bound)}. */
    record Uniform(double bound) implements Init {
    }

    static Init zeros() {
        return new Constant(0);
    }
}
