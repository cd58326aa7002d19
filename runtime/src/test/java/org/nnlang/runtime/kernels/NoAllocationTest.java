package org.nnlang.runtime.kernels;

import static org.nnlang.runtime.kernels.GradCheck.randomArray;
import static org.nnlang.runtime.kernels.SteadyState.assertNoAllocation;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.optim.Adam;
import org.nnlang.runtime.optim.Sgd;

/**
 * A training step must allocate nothing (the plan owns every buffer), so every kernel is run under the JVM's
 * per-thread allocation counter and must leave it where it was.
 */
class NoAllocationTest {
    private static final int N = 6;
    private static final int IN = 9;
    private static final int OUT = 4;

    private final Random random = new Random(3);
    private final float[] x = randomArray(random, N * IN);
    private final float[] w = randomArray(random, OUT * IN);
    private final float[] wT = new float[IN * OUT];
    private final float[] b = randomArray(random, OUT);
    private final float[] y = new float[N * OUT];
    private final float[] dy = randomArray(random, N * OUT);
    private final float[] dx = new float[N * IN];
    private final float[] dw = new float[OUT * IN];
    private final float[] db = new float[OUT];
    private final float[] labels = {0f, 3f, 1f, 2f, 2f, 0f};
    private final float[] m = new float[OUT * IN];
    private final float[] v = new float[OUT * IN];

    @Test
    void kernelsDoNotAllocate() {
        assertNoAllocation("Linear.forward", () -> Linear.forward(x, w, b, y, IN, OUT, 0, N));
        assertNoAllocation("Linear.transposeWeight", () -> Linear.transposeWeight(w, wT, IN, OUT));
        assertNoAllocation("Linear.forwardTransposed", () -> Linear.forwardTransposed(x, wT, b, y, IN, OUT, 0, N));
        assertNoAllocation("Linear.backwardInput", () -> Linear.backwardInput(dy, w, dx, IN, OUT, 0, N));
        assertNoAllocation("Linear.backwardWeight", () -> Linear.backwardWeight(dy, x, dw, N, IN, OUT, 0, OUT));
        assertNoAllocation("Linear.backwardBias", () -> Linear.backwardBias(dy, db, N, OUT, 0, OUT));
        assertNoAllocation("Activations.reluForward", () -> Activations.reluForward(x, dx, 0, N * IN));
        assertNoAllocation("Activations.reluBackward", () -> Activations.reluBackward(y, dy, dx, 0, N * OUT));
        assertNoAllocation("Losses.softmaxCrossEntropyForward",
                () -> Losses.softmaxCrossEntropyForward(dy, labels, y, N, OUT));
        assertNoAllocation("Losses.softmaxCrossEntropyBackward",
                () -> Losses.softmaxCrossEntropyBackward(y, labels, dx, N, OUT, 0, N));
        assertNoAllocation("Losses.mseForward", () -> Losses.mseForward(y, dy, N * OUT));
        assertNoAllocation("Losses.mseBackward", () -> Losses.mseBackward(y, dy, dx, N * OUT, 0, N * OUT));
        assertNoAllocation("Losses.countCorrect", () -> Losses.countCorrect(dy, labels, N, OUT));
        assertNoAllocation("Adam.update",
                () -> Adam.update(w, dw, m, v, 0, w.length, 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true));
        assertNoAllocation("Sgd.update", () -> Sgd.update(w, dw, m, 0, w.length, false, 1e-3f, 0.9f, 0f, true, 0.01f));
    }
}
