package org.nnlang.compiler.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.compiler.TestSources;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * A layer whose output goes straight into {@code flatten}: its backward steps then see the gradient through the flat
 * buffer ({@code [C·H·W]}, not {@code [C, H, W]}). Training must match the same network with an identity pooling
 * ({@code max_pool2d(1)}) before the flatten, where the gradient arrives with its image shape.
 */
class IntoFlattenTest {
    private static String model(String layer, String between) {
        return """
                model M {
                    input x: [2, 6, 5]
                    %s%s -> flatten -> linear(4)
                }
                train M {
                    data = fashion_mnist
                    loss = cross_entropy
                    optimizer = sgd(lr = 0.5)
                    batch = 3
                }
                """.formatted(layer, between);
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d(3, kernel = 3, padding = 1)",
            "a = conv2d(2, kernel = 1)\n    b = x -> conv2d(3, kernel = 3, padding = 1)\n    (a, b) -> concat(axis = 0)"})
    void trainsLikeWithTheImageShapeKept(String layer) {
        ExecutionPlan flat = TestSources.compileClean(model(layer, "")).trainingJob(null).orElseThrow().plan();
        ExecutionPlan shaped = TestSources.compileClean(model(layer, " -> max_pool2d(1)")).trainingJob(null)
                .orElseThrow().plan();
        try (Executable a = new CpuBackend(1).load(flat, 3, new Rng(5));
             Executable b = new CpuBackend(1).load(shaped, 3, new Rng(5))) {
            Rng data = new Rng(9);
            for (int step = 0; step < 2; step++) {
                float[] x = a.buffer(flat.input());
                for (int i = 0; i < x.length; i++) {
                    x[i] = data.uniform(-1f, 1f);
                }
                float[] labels = {0, 3, 1};
                System.arraycopy(x, 0, b.buffer(shaped.input()), 0, x.length);
                System.arraycopy(labels, 0, a.buffer(flat.target()), 0, 3);
                System.arraycopy(labels, 0, b.buffer(shaped.target()), 0, 3);
                assertThat(a.trainStep(3)).isEqualTo(b.trainStep(3));
            }
            for (BufferSpec p : flat.buffers()) {
                if (p.role() == BufferRole.PARAMETER) {
                    BufferSpec twin = shaped.bufferNamed(p.name()).orElseThrow();
                    assertThat(a.buffer(p.id())).as(p.name()).containsExactly(b.buffer(twin.id()));
                }
            }
        }
    }
}
