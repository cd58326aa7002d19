package org.nnlang.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nnlang.compiler.TestSources;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.PlanCost;

/** The plan carries the compiler's MAC counts, so {@code nn bench} reports GFLOP/s for every kind of network. */
class PlanCostTest {
    @Test
    void aTrainingStepOfTheSeedMlpCountsEveryMatrixProduct() {
        ExecutionPlan plan = TestSources.compileClean("""
                model M {
                    input x: [1, 28, 28]
                    flatten
                    linear(128)
                    relu
                    linear(10)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = adam()
                }
                """).trainingJob(null).orElseThrow().plan();
        long forward = 784 * 128 + 128 * 10;
        // The first layer's input needs no gradient: weight gradients of both layers, input gradient of the second.
        long backward = 784 * 128 + 128 * 10 + 128 * 10;
        assertThat(PlanCost.trainingStepMacs(plan, 32)).isEqualTo(32 * (forward + backward));
        assertThat(PlanCost.macs(plan.inferenceSteps(), 32)).isEqualTo(32 * forward);
    }

    @Test
    void convolutionsAreCountedToo() {
        ExecutionPlan plan = TestSources.compileClean("""
                model C {
                    input x: [1, 8, 8]
                    conv2d(4, kernel = 3, padding = 1)
                    global_avg_pool
                    linear(2)
                }
                train C {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.1)
                }
                """).trainingJob(null).orElseThrow().plan();
        long conv = 8 * 8 * 4 * 9; // H_out · W_out · C_out · C_in · k²
        assertThat(PlanCost.macs(plan.inferenceSteps(), 1)).isEqualTo(conv + 4 * 2);
    }
}
