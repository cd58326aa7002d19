package org.nnlang.compiler.passes;

/** The optimizer a {@code train} block asked for, with every hyper-parameter resolved (defaults as PyTorch's). */
public sealed interface Optimizer {
    /** The base learning rate (a schedule scales it step by step). */
    double lr();

    /** {@code adam(...)} and {@code adamw(...)} ({@code decoupled} = AdamW's decoupled weight decay). */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled)
            implements Optimizer {
    }

    /** {@code sgd(lr, momentum = 0, dampening = 0, nesterov = false, weight_decay = 0)}. */
    record Sgd(double lr, double momentum, double dampening, boolean nesterov, double weightDecay)
            implements Optimizer {
    }
}
