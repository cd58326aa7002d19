package org.nnlang.runtime.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.kernels.Linear;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.Init;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;

/**
 * The linear steps as the CPU backend runs them (packing shared between threads, rows split into parts) against the
 * reference {@link Linear} kernels, on sizes that cross the Gemm blocks, for batches from 1 to the capacity and for
 * one and three threads.
 */
class LinearStepsTest {
    private static final int IN = 785;
    private static final int OUT = 131;
    private static final int CAPACITY = 70;

    private static final int X = 0;
    private static final int W = 1;
    private static final int B = 2;
    private static final int Y = 3;
    private static final int DY = 4;
    private static final int DX = 5;
    private static final int DW = 6;
    private static final int DB = 7;

    private static ExecutionPlan plan() {
        List<BufferSpec> buffers = List.of(
                new BufferSpec(X, "x", BufferRole.INPUT, new int[] {IN}, true, null),
                new BufferSpec(W, "w", BufferRole.PARAMETER, new int[] {OUT, IN}, false, new Init.Uniform(0.5)),
                new BufferSpec(B, "b", BufferRole.PARAMETER, new int[] {OUT}, false, new Init.Uniform(0.5)),
                new BufferSpec(Y, "y", BufferRole.ACTIVATION, new int[] {OUT}, true, null),
                new BufferSpec(DY, "dy", BufferRole.GRADIENT, new int[] {OUT}, true, null),
                new BufferSpec(DX, "dx", BufferRole.GRADIENT, new int[] {IN}, true, null),
                new BufferSpec(DW, "dw", BufferRole.GRADIENT, new int[] {OUT, IN}, false, null),
                new BufferSpec(DB, "db", BufferRole.GRADIENT, new int[] {OUT}, false, null));
        List<StepSpec> steps = List.of(
                step("linear", new int[] {X, W, B}, Y),
                step("linear_grad_input", new int[] {DY, W}, DX),
                step("linear_grad_weight", new int[] {DY, X}, DW),
                step("linear_grad_bias", new int[] {DY}, DB));
        return new ExecutionPlan("LinearSteps", buffers, steps, List.of(), X, -1, Y, -1);
    }

    private static StepSpec step(String kernel, int[] inputs, int output) {
        return new StepSpec(kernel, inputs, new int[] {output}, Map.of(), "LinearStepsTest");
    }

    @Test
    void stepsMatchTheReferenceKernelsForEveryBatchAndThreadCount() {
        for (int threads : new int[] {1, 3}) {
            try (Executable executable = new CpuBackend(threads).load(plan(), CAPACITY, new Rng(5))) {
                Random random = new Random(threads);
                for (int batch : new int[] {1, 2, 5, 33, CAPACITY, 4}) {
                    float[] x = executable.buffer(X);
                    float[] dy = executable.buffer(DY);
                    for (int i = 0; i < batch * IN; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    for (int i = 0; i < batch * OUT; i++) {
                        dy[i] = (float) random.nextGaussian();
                    }
                    executable.infer(batch);

                    float[] w = executable.buffer(W);
                    float[] y = new float[batch * OUT];
                    Linear.forward(x, w, executable.buffer(B), y, IN, OUT, 0, batch);
                    float[] dx = new float[batch * IN];
                    Linear.backwardInput(dy, w, dx, IN, OUT, 0, batch);
                    float[] dw = new float[OUT * IN];
                    Linear.backwardWeight(dy, x, dw, batch, IN, OUT, 0, OUT);
                    String where = threads + " threads, batch " + batch;
                    assertClose("y, " + where, executable.buffer(Y), y);
                    assertClose("dx, " + where, executable.buffer(DX), dx);
                    assertClose("dW, " + where, executable.buffer(DW), dw);
                }
            }
        }
    }

    /** Sums of up to 785 products of unit-sized terms in a different order: a few float32 ulps of the total. */
    private static void assertClose(String what, float[] actual, float[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s [%d]", what, i).isCloseTo(expected[i], within(2e-4));
        }
    }
}
