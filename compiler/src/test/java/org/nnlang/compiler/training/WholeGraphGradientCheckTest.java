package org.nnlang.compiler.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.TestSources;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.passes.TrainingPipeline;
import org.nnlang.compiler.plan.PlanBuilder;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * The gradients of the whole training graph — what autodiff derived, run by the float32 CPU kernels — against central
 * differences of the loss computed in float64 by {@link ReferenceEvaluator}. The model fans a value out to two
 * consumers and adds them back, so gradient accumulation is checked too.
 */
class WholeGraphGradientCheckTest {
    private static final int BATCH = 4;
    private static final double H = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"cross_entropy", "mse"})
    void autodiffGradientsMatchCentralDifferences(String loss) {
        Compilation compilation = TestSources.compileClean("""
                model Branchy {
                    input x: [2, 3]
                    h = flatten -> linear(5)
                    a = h -> relu -> linear(5)
                    (a + h) -> relu
                    linear(3)
                }
                train Branchy {
                    data = fashion_mnist
                    loss = %s
                    optimizer = sgd(lr = 0.1)
                }
                """.formatted(loss));
        TrainingPipeline.Stages pipeline = compilation.trainings().get("Branchy").stages();
        Map<String, Graph> stages = pipeline.byPass();
        Graph graph = stages.get(TrainingPipeline.AUTODIFF);
        Graph forward = stages.get(TrainingPipeline.ATTACH_LOSS); // the same values, without the backward nodes
        ExecutionPlan plan = PlanBuilder.build(graph, pipeline.inference(), pipeline.counterparts());
        Random random = new Random(7);
        Map<Value, double[]> known = new HashMap<>();
        try (Executable executable = new CpuBackend(2).load(plan, BATCH, new Rng(3))) {
            for (Value v : graph.inputs()) {
                double[] data = new double[BATCH * v.type().size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = v.type().rank() == 0 ? random.nextInt(3) : random.nextGaussian();
                }
                known.put(v, data);
                write(data, executable.buffer(buffer(plan, v.name()).id()));
            }
            for (Value p : graph.parameters()) {
                double[] data = new double[p.type().size()];
                for (int i = 0; i < data.length; i++) {
                    data[i] = random.nextGaussian() * 0.5;
                }
                known.put(p, data);
                write(data, executable.buffer(buffer(plan, p.name()).id()));
            }
            executable.trainStep(BATCH);
            for (Value p : graph.parameters()) {
                float[] analytic = executable.buffer(buffer(plan, "grad(" + p.name() + ")").id());
                double[] weights = known.get(p);
                for (int i = 0; i < weights.length; i++) {
                    double saved = weights[i];
                    weights[i] = saved + H;
                    double plus = lossOf(forward, known);
                    weights[i] = saved - H;
                    double minus = lossOf(forward, known);
                    weights[i] = saved;
                    double numeric = (plus - minus) / (2 * H);
                    assertThat((double) analytic[i])
                            .as("d(loss)/d(%s)[%d] with loss = %s: autodiff gives %s, central differences %s",
                                    p.name(), i, loss, analytic[i], numeric)
                            .isCloseTo(numeric, org.assertj.core.api.Assertions.within(1e-4 + 1e-3 * Math.abs(numeric)));
                }
            }
        }
    }

    private static double lossOf(Graph graph, Map<Value, double[]> known) {
        return ReferenceEvaluator.run(graph, known, BATCH).get(graph.loss())[0];
    }

    private static BufferSpec buffer(ExecutionPlan plan, String name) {
        return plan.buffers().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no buffer named " + name));
    }

    private static void write(double[] from, float[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = (float) from[i];
        }
    }
}
