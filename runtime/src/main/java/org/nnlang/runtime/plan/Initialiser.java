package org.nnlang.runtime.plan;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.nnlang.runtime.tensor.Rng;

/**
 * Fills a loaded plan's parameters and state as their {@link Init} says. Every backend calls this, in plan order and
 * on the host, so one seed gives the same starting weights on the CPU and on an accelerator.
 */
public final class Initialiser {
    private Initialiser() {
    }

    /** Fills every buffer that has an {@link Init}, in buffer-id order, drawing from {@code rng}. */
    public static void fillAll(ExecutionPlan plan, IntFunction<float[]> arrays, Rng rng) {
        for (BufferSpec spec : plan.buffers()) {
            float[] array = arrays.apply(spec.id());
            if (spec.init() instanceof Init.Constant constant) {
                Arrays.fill(array, (float) constant.value());
            } else if (spec.init() instanceof Init.Uniform uniform) {
                float bound = (float) uniform.bound();
                for (int i = 0; i < array.length; i++) {
                    array[i] = rng.uniform(-bound, bound);
                }
            }
        }
    }
}
