package org.nnlang.runtime.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SgdTest {

    /** Replays each PyTorch SGD trajectory (plain, weight decay, momentum, dampening, Nesterov) step by step. */
    @Test
    void matchesPyTorchStepByStep() {
        for (OptimizerFixtures c : OptimizerFixtures.load("sgd")) {
            float[] param = c.initial().clone();
            float[] buffer = new float[param.length];
            for (int step = 1; step <= c.grads().length; step++) {
                float[] grad = c.grads()[step - 1].clone();
                Sgd.update(param, grad, buffer, 0, param.length, step == 1, c.hyper("lr"), c.hyper("momentum"),
                        c.hyper("dampening"), c.flag("nesterov"), c.hyper("weight_decay"));
                assertThat(grad).as("%s step %d: SGD must not modify the gradient", c, step)
                        .containsExactly(c.grads()[step - 1]);
                c.assertStep(step, param);
            }
        }
    }

    @Test
    void plainSgdNeedsNoMomentumBuffer() {
        float[] param = {1f, -2f};
        Sgd.update(param, new float[] {0.5f, 0.25f}, null, 0, 2, true, 0.1f, 0f, 0f, false, 0f);
        assertThat(param).containsExactly(1f - 0.1f * 0.5f, -2f - 0.1f * 0.25f);
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        Random random = new Random(9);
        int size = 11;
        float[] start = AdamTest.randomArray(random, size);
        float[][] grads = {AdamTest.randomArray(random, size), AdamTest.randomArray(random, size),
                AdamTest.randomArray(random, size)};
        for (boolean nesterov : new boolean[] {false, true}) {
            float[][] whole = run(start, grads, nesterov, new int[] {0, size});
            for (int k = 0; k <= size; k++) {
                float[][] split = run(start, grads, nesterov, new int[] {0, k, size});
                assertThat(split[0]).as("nesterov=%s, split at %d: param", nesterov, k).containsExactly(whole[0]);
                assertThat(split[1]).as("nesterov=%s, split at %d: buffer", nesterov, k).containsExactly(whole[1]);
            }
        }
    }

    private static float[][] run(float[] start, float[][] grads, boolean nesterov, int[] bounds) {
        float[] param = start.clone();
        float[] buffer = new float[param.length];
        for (int step = 1; step <= grads.length; step++) {
            for (int b = 0; b + 1 < bounds.length; b++) {
                Sgd.update(param, grads[step - 1], buffer, bounds[b], bounds[b + 1], step == 1, 0.1f, 0.9f, 0.1f,
                        nesterov, 0.01f);
            }
        }
        return new float[][] {param, buffer};
    }
}
