package org.nnlang.runtime.tornado;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/** What the CPU's batchnorm refuses (one value per channel has no variance), the TornadoVM backend refuses too. */
@Tag("tornado")
class BatchOfOneTest {
    @Test
    void batchnormOnOneSampleIsAnErrorNotNaN() {
        ExecutionPlan plan = BackendComparison.compile("""
                model M {
                    input x: [6]
                    linear(4) -> batchnorm -> linear(3)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.1)
                    batch = 4
                }
                """);
        try (Executable device = new TornadoBackend().selecting("gpu").load(plan, 4, new Rng(1))) {
            assertThatThrownBy(() -> device.trainStep(1)).isInstanceOf(NnException.class)
                    .hasMessageContaining("batchnorm (conformance.nn:3:")
                    .hasMessageContaining("no variance");
        }
    }
}
