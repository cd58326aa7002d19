package org.nnlang.runtime.tornado;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * Runs one compiled model on the CPU backend and on TornadoVM side by side, from the same seed, on the same random
 * batches, and checks that they agree: the loss of every step, every parameter and state buffer after the steps,
 * and the inference output.
 *
 * <p>The models train with plain SGD and a large learning rate, so that a parameter after a step is
 * {@code θ − lr·g}: any error in a backward kernel shows in the parameters, not hidden behind Adam's normalisation.
 *
 * <p>Tolerance: {@code |a − b| ≤ ABS + REL·|a|}. The two backends add in different orders (tiles of 16 on the device,
 * blocks of the CPU's Gemm) and the device evaluates exp, tanh and the like in float, so they agree to float rounding
 * magnified by a few steps, not bit for bit.
 */
final class BackendComparison {
    static final double ABS = 2e-5;
    static final double REL = 2e-4;

    private BackendComparison() {
    }

    static ExecutionPlan compile(String source) {
        Compilation compilation = Compiler.compile(SourceFile.of("conformance.nn", source));
        String printed = compilation.diagnostics().all().stream().map(DiagnosticPrinter::format)
                .collect(Collectors.joining());
        assertThat(compilation.hasErrors()).as("diagnostics:\n%s", printed).isFalse();
        return compilation.trainingJob(null).orElseThrow().plan();
    }

    /** Trains {@code batches.length} steps (each of {@code batches[i]} samples) on both backends and compares. */
    static void compare(String source, int capacity, int... batches) {
        ExecutionPlan plan = compile(source);
        try (Executable cpu = new CpuBackend(1).load(plan, capacity, new Rng(7));
             Executable device = new TornadoBackend().selecting("gpu").load(plan, capacity, new Rng(7))) {
            assertSame(plan, cpu, device, "after loading");
            Rng data = new Rng(11);
            int classes = plan.buffer(plan.output()).sampleSize();
            for (int step = 0; step < batches.length; step++) {
                fillBatch(plan, data, classes, cpu, device);
                float cpuLoss = cpu.trainStep(batches[step]);
                float deviceLoss = device.trainStep(batches[step]);
                assertThat((double) deviceLoss).as("loss of step %d on %s", step + 1, device.deviceDescription())
                        .isCloseTo(cpuLoss, org.assertj.core.api.Assertions.within(ABS + REL * Math.abs(cpuLoss)));
                device.syncToHost();
                assertSame(plan, cpu, device, "after step " + (step + 1) + " (" + batches[step] + " samples)");
            }
            fillBatch(plan, data, classes, cpu, device);
            cpu.infer(capacity);
            device.infer(capacity);
            assertClose("inference output", cpu.buffer(plan.output()), device.buffer(plan.output()),
                    capacity * plan.buffer(plan.output()).sampleSize());
        }
    }

    private static void fillBatch(ExecutionPlan plan, Rng data, int classes, Executable cpu, Executable device) {
        float[] input = cpu.buffer(plan.input());
        for (int i = 0; i < input.length; i++) {
            input[i] = data.uniform(-1f, 1f);
        }
        float[] target = cpu.buffer(plan.target());
        boolean classification = plan.buffer(plan.target()).sampleSize() == 1 && classes > 1;
        for (int i = 0; i < target.length; i++) {
            target[i] = classification ? (float) Math.min(classes - 1, (int) (data.uniform(0f, 1f) * classes))
                    : data.uniform(-1f, 1f);
        }
        System.arraycopy(input, 0, device.buffer(plan.input()), 0, input.length);
        System.arraycopy(target, 0, device.buffer(plan.target()), 0, target.length);
    }

    private static void assertSame(ExecutionPlan plan, Executable cpu, Executable device, String when) {
        for (BufferSpec spec : plan.buffers()) {
            if (spec.role() == BufferRole.PARAMETER || spec.role() == BufferRole.OPTIMIZER_STATE
                    || spec.role() == BufferRole.MODEL_STATE) {
                assertClose(spec.name() + " " + when, cpu.buffer(spec.id()), device.buffer(spec.id()),
                        spec.sampleSize());
            }
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, int count) {
        for (int i = 0; i < count; i++) {
            double tolerance = ABS + REL * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + " on the device but "
                        + expected[i] + " on the CPU (tolerance " + tolerance + ")");
            }
        }
    }
}
