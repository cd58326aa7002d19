package org.nnlang.runtime.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.kernels.Activations;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.Init;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;

/**
 * An activation right after the {@code linear} or {@code conv2d} it reads runs inside that step, part by part
 * ({@link ElementwiseSteps.Epilogue}): the same values as the activation's own step, every element written, and no
 * fusion where the activation's output shares memory with the product's input.
 */
class EpilogueFusionTest {
    private static final int X = 0;
    private static final int W = 1;
    private static final int B = 2;
    private static final int Y = 3;
    private static final int Z = 4;
    private static final int CAPACITY = 40;

    private static StepSpec step(String kernel, int[] inputs, int output, Map<String, Object> attributes) {
        return new StepSpec(kernel, inputs, new int[] {output}, attributes, "EpilogueFusionTest");
    }

    /** {@code x → linear → y → relu → z}, or {@code conv2d} (3×3, padding 1, 2 → 3 channels on 6×5). */
    private static ExecutionPlan plan(boolean conv) {
        int[] in = conv ? new int[] {2, 6, 5} : new int[] {37};
        int[] out = conv ? new int[] {3, 6, 5} : new int[] {29};
        int[] weight = conv ? new int[] {3, 2, 3, 3} : new int[] {29, 37};
        List<BufferSpec> buffers = List.of(
                new BufferSpec(X, "x", BufferRole.INPUT, in, true, null),
                new BufferSpec(W, "w", BufferRole.PARAMETER, weight, false, new Init.Uniform(0.5)),
                new BufferSpec(B, "b", BufferRole.PARAMETER, new int[] {out[0]}, false, new Init.Uniform(0.5)),
                new BufferSpec(Y, "y", BufferRole.ACTIVATION, out, true, null),
                new BufferSpec(Z, "z", BufferRole.ACTIVATION, out, true, null));
        Map<String, Object> attributes = conv
                ? Map.of("stride", 1, "padding", 1, "dilation", 1, "groups", 1) : Map.of();
        List<StepSpec> steps = List.of(
                step(conv ? "conv2d" : "linear", new int[] {X, W, B}, Y, attributes),
                step("relu", new int[] {Y}, Z, Map.of()));
        return new ExecutionPlan("Fusion", buffers, steps, List.of(), X, -1, Z, -1);
    }

    @Test
    void theFusedActivationGivesTheSameValuesEverywhere() {
        for (boolean conv : new boolean[] {false, true}) {
            ExecutionPlan plan = plan(conv);
            assertThat(ElementwiseSteps.Epilogue.fusedAfter(plan.inferenceSteps().get(0),
                    plan.inferenceSteps().get(1), new Buffers(plan, CAPACITY))).as("fused").isNotNull();
            int sampleSize = plan.buffer(Z).sampleSize();
            for (int threads : new int[] {1, 3}) {
                try (Executable executable = new CpuBackend(threads).load(plan, CAPACITY, new Rng(3))) {
                    Random random = new Random(threads);
                    for (int batch : new int[] {1, 5, 33, CAPACITY}) {
                        float[] x = executable.buffer(X);
                        for (int i = 0; i < batch * plan.buffer(X).sampleSize(); i++) {
                            x[i] = (float) random.nextGaussian();
                        }
                        Arrays.fill(executable.buffer(Z), Float.NaN);
                        executable.infer(batch);
                        float[] expected = new float[batch * sampleSize];
                        Activations.reluForward(executable.buffer(Y), expected, 0, expected.length);
                        assertThat(Arrays.copyOf(executable.buffer(Z), expected.length))
                                .as("%s, %d threads, batch %d", conv ? "conv2d" : "linear", threads, batch)
                                .containsExactly(expected);
                        float largest = Float.NEGATIVE_INFINITY;
                        for (float v : expected) {
                            largest = Math.max(largest, v);
                        }
                        assertThat(expected).as("some outputs zero").contains(0f);
                        assertThat(largest).as("some outputs positive").isPositive();
                    }
                }
            }
        }
    }

    @Test
    void noFusionWhenTheActivationWritesWhereTheProductReads() {
        // x → relu → a → linear → y → relu → z, with z in a's memory: safe only once the product has finished every
        // part, so the second relu stays a step of its own.
        int a = 5;
        List<BufferSpec> buffers = List.of(
                new BufferSpec(X, "x", BufferRole.INPUT, new int[] {8}, true, null),
                new BufferSpec(W, "w", BufferRole.PARAMETER, new int[] {8, 8}, false, new Init.Uniform(0.5)),
                new BufferSpec(B, "b", BufferRole.PARAMETER, new int[] {8}, false, new Init.Uniform(0.5)),
                new BufferSpec(Y, "y", BufferRole.ACTIVATION, new int[] {8}, true, null),
                new BufferSpec(Z, "z", BufferRole.ACTIVATION, new int[] {8}, true, null),
                new BufferSpec(a, "a", BufferRole.ACTIVATION, new int[] {8}, true, null));
        StepSpec first = step("relu", new int[] {X}, a, Map.of());
        StepSpec product = step("linear", new int[] {a, W, B}, Y, Map.of());
        StepSpec relu = step("relu", new int[] {Y}, Z, Map.of());
        ExecutionPlan separate = new ExecutionPlan("Fusion", buffers, List.of(first, product, relu), List.of(), X, -1,
                Z, -1);
        assertThat(ElementwiseSteps.Epilogue.fusedAfter(product, relu, new Buffers(separate, CAPACITY))).isNotNull();
        ExecutionPlan shared = separate.withSlots(List.of(0, 1, 2, 3, 4, 4));
        assertThat(ElementwiseSteps.Epilogue.fusedAfter(product, relu, new Buffers(shared, CAPACITY))).isNull();
        // Nor when the activation reads something else, or follows another kind of step.
        Buffers own = new Buffers(separate, CAPACITY);
        assertThat(ElementwiseSteps.Epilogue.fusedAfter(product, step("relu", new int[] {a}, Z, Map.of()), own))
                .isNull();
        assertThat(ElementwiseSteps.Epilogue.fusedAfter(first, product, own)).isNull();
        assertThat(ElementwiseSteps.Epilogue.fusedAfter(step("add", new int[] {X, X}, Y, Map.of()), relu, own))
                .isNull();
    }
}
