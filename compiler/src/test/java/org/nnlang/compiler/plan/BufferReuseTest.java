package org.nnlang.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.TestSources;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;
import org.nnlang.runtime.train.TrainingJob;

/**
 * Buffer reuse by liveness (issue #5) changes memory and nothing else: training with shared slots gives the same
 * losses, weights, state and predictions, bit for bit, as training with a buffer per value — on the examples (an MLP,
 * a CNN, a ResNet whose residual adds keep values alive across blocks, a MobileNet) and on a model with dropout,
 * batch normalisation, concat and gradient clipping. An independent replay ({@link SlotReplay}) checks that no two
 * buffers alive at once ever share a slot.
 */
class BufferReuseTest {
    private static final int STEPS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"seed-mlp.nn", "cnn.nn", "resnet.nn", "mobilenet.nn", "mixed"})
    void trainingWithReuseIsBitIdenticalToTrainingWithout(String example) throws IOException {
        TrainingJob reused = job(example, PlanOptions.DEFAULT);
        TrainingJob separate = job(example, PlanOptions.NO_REUSE);
        assertThat(reused.plan().slotCount()).as("slots with reuse").isLessThan(reused.plan().buffers().size());
        assertThat(separate.plan().slotCount()).as("slots without").isEqualTo(separate.plan().buffers().size());
        int batch = reused.config().batch();
        try (Executable a = new CpuBackend(2).load(reused.plan(), batch, new Rng(11));
             Executable b = new CpuBackend(2).load(separate.plan(), batch, new Rng(11))) {
            Random data = new Random(5);
            // Full batches, then a short one: kernels must not read past the samples of the batch they are given.
            int[] batches = {batch, batch, batch - 3, batch};
            for (int step = 0; step < batches.length; step++) {
                feed(a, b, batches[step], data);
                float lossA = a.trainStep(batches[step]);
                float lossB = b.trainStep(batches[step]);
                assertThat(Float.floatToRawIntBits(lossA)).as("loss of step %d (%s vs %s)", step, lossA, lossB)
                        .isEqualTo(Float.floatToRawIntBits(lossB));
            }
            feed(a, b, batch, data);
            a.infer(batch);
            b.infer(batch);
            ExecutionPlan plan = reused.plan();
            for (BufferSpec buffer : plan.buffers()) {
                if (!plan.isShared(buffer.id())) { // weights, state, output, loss: what outlives a step
                    assertThat(prefix(a, buffer, batch)).as(buffer.name()).isEqualTo(prefix(b, buffer, batch));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-mlp.nn", "cnn.nn", "resnet.nn", "mobilenet.nn", "mixed"})
    void noTwoBuffersAliveAtOnceShareASlot(String example) throws IOException {
        ExecutionPlan plan = job(example, PlanOptions.DEFAULT).plan();
        assertThat(SlotReplay.violations(plan)).isEmpty();
    }

    /** The checker itself catches a bad assignment, so the test above cannot pass by checking nothing. */
    @Test
    void theReplayCatchesTwoLiveBuffersInOneSlot() throws IOException {
        ExecutionPlan plan = job("seed-mlp.nn", PlanOptions.NO_REUSE).plan();
        int relu = plan.bufferNamed("relu1").orElseThrow().id();
        int gradLinear2 = plan.bufferNamed("grad(linear2)").orElseThrow().id();
        // relu1 is read by the second layer's weight gradient, after grad(linear2) has been written.
        List<Integer> slots = new ArrayList<>(plan.slots());
        slots.set(gradLinear2, slots.get(relu));
        slots.set(slots.size() - 1, gradLinear2); // keep the numbering dense: the last buffer takes the freed number
        if (gradLinear2 == slots.size() - 1) {
            slots.set(gradLinear2, slots.get(relu));
        }
        assertThat(SlotReplay.violations(plan.withSlots(slots)))
                .anySatisfy(problem -> assertThat(problem).contains("reads relu1 but its slot holds grad(linear2)"));
    }

    @Test
    void slotsAreSharedArraysBigEnoughForEveryBufferInThem() throws IOException {
        ExecutionPlan plan = job("cnn.nn", PlanOptions.DEFAULT).plan();
        try (Executable executable = new CpuBackend(1).load(plan, 32, new Rng(1))) {
            for (BufferSpec x : plan.buffers()) {
                assertThat(executable.buffer(x.id()).length).as(x.name()).isGreaterThanOrEqualTo(x.capacity(32));
                for (BufferSpec y : plan.buffers()) {
                    assertThat(executable.buffer(x.id()) == executable.buffer(y.id()))
                            .as("%s and %s", x.name(), y.name()).isEqualTo(plan.slot(x.id()) == plan.slot(y.id()));
                }
            }
        }
    }

    /**
     * The figure docs/performance.md quotes: at its batch of 32, cnn.nn's plan takes 11,743,304 bytes with a buffer
     * per value and 6,507,336 with reuse — 5,235,968 bytes (45%) less, all of it activations and gradients.
     */
    @Test
    void reuseShrinksTheCnnsMemoryByAStatedAmount() throws IOException {
        ExecutionPlan reused = job("cnn.nn", PlanOptions.DEFAULT).plan();
        ExecutionPlan separate = job("cnn.nn", PlanOptions.NO_REUSE).plan();
        assertThat(totalBytes(separate, 32)).isEqualTo(11_743_304L);
        assertThat(totalBytes(reused, 32)).isEqualTo(6_507_336L);
        assertThat(totalBytes(separate, 32) - totalBytes(reused, 32)).isEqualTo(5_235_968L);
    }

    @Test
    void withReuseOffEveryBufferKeepsItsOwnMemory() throws IOException {
        ExecutionPlan plan = job("resnet.nn", PlanOptions.NO_REUSE).plan();
        for (BufferSpec buffer : plan.buffers()) {
            assertThat(plan.slot(buffer.id())).isEqualTo(buffer.id());
        }
    }

    private static long totalBytes(ExecutionPlan plan, int batch) {
        return java.util.Arrays.stream(plan.slotCapacities(batch)).sum() * Float.BYTES;
    }

    /** The same random batch into both executables: inputs, and labels among the output's classes. */
    private static void feed(Executable a, Executable b, int batch, Random random) {
        ExecutionPlan plan = a.plan();
        int inputs = batch * plan.buffer(plan.input()).sampleSize();
        int classes = plan.buffer(plan.output()).sampleSize();
        for (int i = 0; i < inputs; i++) {
            float x = (float) random.nextGaussian();
            a.buffer(plan.input())[i] = x;
            b.buffer(b.plan().input())[i] = x;
        }
        for (int i = 0; i < batch; i++) {
            float label = random.nextInt(classes);
            a.buffer(plan.target())[i] = label;
            b.buffer(b.plan().target())[i] = label;
        }
    }

    /** The floats buffer {@code spec} owns (its array may be a longer shared slot), as raw bits. */
    private static int[] prefix(Executable executable, BufferSpec spec, int batch) {
        float[] array = executable.buffer(spec.id());
        int[] bits = new int[spec.capacity(batch)];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(array[i]);
        }
        return bits;
    }

    private static TrainingJob job(String example, PlanOptions options) throws IOException {
        SourceFile source = example.equals("mixed") ? SourceFile.of("mixed.nn", TestSources.MIXED_CNN)
                : SourceFile.read(Path.of("../examples", example));
        Compilation compilation = Compiler.compile(source, options);
        assertThat(compilation.hasErrors()).as("diagnostics:\n%s", compilation.diagnostics().all().stream()
                .map(DiagnosticPrinter::format).collect(Collectors.joining())).isFalse();
        return compilation.trainingJob(null).orElseThrow();
    }
}
