package org.nnlang.runtime.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamTest {

    /** Replays each PyTorch trajectory (Adam, Adam with L2 weight decay, AdamW) and compares every step. */
    @Test
    void matchesPyTorchStepByStep() {
        for (OptimizerFixtures c : OptimizerFixtures.load("adam", "adamw")) {
            float[] param = c.initial().clone();
            float[] m = new float[param.length];
            float[] v = new float[param.length];
            for (int step = 1; step <= c.grads().length; step++) {
                float[] grad = c.grads()[step - 1].clone();
                Adam.update(param, grad, m, v, 0, param.length, step, c.hyper("lr"), c.hyper("beta1"),
                        c.hyper("beta2"), c.hyper("eps"), c.hyper("weight_decay"), c.optimizer().equals("adamw"));
                assertThat(grad).as("%s step %d: Adam must not modify the gradient", c, step)
                        .containsExactly(c.grads()[step - 1]);
                c.assertStep(step, param);
            }
        }
    }

    @Test
    void splittingRangesGivesTheSameResult() {
        Random random = new Random(5);
        int size = 11;
        float[] start = randomArray(random, size);
        float[][] grads = {randomArray(random, size), randomArray(random, size), randomArray(random, size)};
        for (boolean decoupled : new boolean[] {false, true}) {
            float[][] whole = run(start, grads, decoupled, new int[] {0, size});
            for (int k = 0; k <= size; k++) {
                float[][] split = run(start, grads, decoupled, new int[] {0, k, size});
                for (int s = 0; s < 3; s++) {
                    assertThat(split[s]).as("decoupled=%s, split at %d, state %d (param, m, v)", decoupled, k, s)
                            .containsExactly(whole[s]);
                }
            }
        }
    }

    /** Runs 3 Adam steps, each as one call per range between consecutive {@code bounds}; returns param, m, v. */
    private static float[][] run(float[] start, float[][] grads, boolean decoupled, int[] bounds) {
        float[] param = start.clone();
        float[] m = new float[param.length];
        float[] v = new float[param.length];
        for (int step = 1; step <= grads.length; step++) {
            for (int b = 0; b + 1 < bounds.length; b++) {
                Adam.update(param, grads[step - 1], m, v, bounds[b], bounds[b + 1], step, 0.01f, 0.9f, 0.999f,
                        1e-8f, 0.1f, decoupled);
            }
        }
        return new float[][] {param, m, v};
    }

    static float[] randomArray(Random random, int size) {
        float[] a = new float[size];
        for (int k = 0; k < size; k++) {
            a[k] = (float) random.nextGaussian();
        }
        return a;
    }
}
