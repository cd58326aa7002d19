package org.nnlang.compiler.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * The rules of {@link Lifetimes} on small hand-made plans, one case each that the example networks do not happen to
 * contain: a buffer only the inference schedule uses, a buffer one schedule reads that the other wrote, a buffer
 * updated in place, unbatched buffers. The kernel names are placeholders: nothing here runs.
 */
class BufferReuseRulesTest {
    private static final int IN = 0;
    private static final int OUT = 1;
    private final List<BufferSpec> buffers = new ArrayList<>(List.of(
            new BufferSpec(IN, "in", BufferRole.INPUT, new int[] {8}, true, null),
            new BufferSpec(OUT, "out", BufferRole.ACTIVATION, new int[] {8}, true, null)));

    @Test
    void buffersAliveTogetherInInferenceOnlyDoNotShare() {
        int a = activation("a");
        int b = activation("b");
        ExecutionPlan plan = reuse(
                List.of(step(IN, a), step(a, OUT)),
                List.of(step(IN, a), step(IN, b), step(a, b, OUT)));
        assertThat(plan.slot(a)).isNotEqualTo(plan.slot(b));
        assertThat(SlotReplay.violations(plan)).isEmpty();
    }

    @Test
    void aBufferTheOtherScheduleWroteKeepsItsMemory() {
        int a = activation("a");
        int c = activation("c");
        ExecutionPlan plan = reuse(
                List.of(step(IN, a), step(a, OUT), step(IN, c)),
                List.of(step(a, OUT))); // inference reads what training left in a
        assertThat(plan.isShared(a)).isFalse();
        assertThat(SlotReplay.violations(plan)).isEmpty();
    }

    @Test
    void aBufferUpdatedInPlaceBeforeAnyWriteKeepsItsMemory() {
        int a = activation("a");
        int total = activation("total");
        // total accumulates across steps (read and written by one step): its value comes from the previous step.
        ExecutionPlan plan = reuse(
                List.of(step(IN, a), step(a, OUT), new StepSpec("k", new int[] {total, IN}, new int[] {total},
                        Map.of(), "")),
                List.of(step(IN, OUT)));
        assertThat(plan.isShared(total)).isFalse();
        assertThat(SlotReplay.violations(plan)).isEmpty();
    }

    @Test
    void aStepNeverWritesTheMemoryItReadsNorTwoOutputsOneSlot() {
        int a = activation("a");
        int b = activation("b");
        int c = activation("c");
        ExecutionPlan plan = reuse(
                List.of(step(IN, a), step(a, b), new StepSpec("k", new int[] {b}, new int[] {c, OUT}, Map.of(), "")),
                List.of(step(IN, OUT)));
        assertThat(plan.slot(a)).isNotEqualTo(plan.slot(b));
        assertThat(plan.slot(b)).isNotEqualTo(plan.slot(c));
        assertThat(plan.slot(a)).as("a is dead once b is written, and c is written after").isEqualTo(plan.slot(c));
    }

    @Test
    void batchedAndUnbatchedBuffersKeepApartAndSlotsFitTheirLargestBuffer() {
        int small = activation("small");
        int big = buffers.size();
        buffers.add(new BufferSpec(big, "stats", BufferRole.ACTIVATION, new int[] {500}, false, null));
        int wide = buffers.size();
        buffers.add(new BufferSpec(wide, "wide", BufferRole.ACTIVATION, new int[] {40}, true, null));
        ExecutionPlan plan = reuse(
                List.of(step(IN, small), step(small, OUT), step(IN, big), step(big, OUT), step(IN, wide),
                        step(wide, OUT)),
                List.of(step(IN, OUT)));
        // A batched 8-float buffer outgrows an unbatched 500-float one from batch 63 on: never compare them.
        assertThat(plan.slot(small)).isNotEqualTo(plan.slot(big));
        assertThat(plan.slot(small)).isEqualTo(plan.slot(wide));
        for (int batch : new int[] {1, 64}) {
            long[] capacities = plan.slotCapacities(batch);
            for (BufferSpec buffer : plan.buffers()) {
                assertThat(capacities[plan.slot(buffer.id())]).isGreaterThanOrEqualTo(buffer.capacity(batch));
            }
        }
    }

    @Test
    void parameterGradientsAndInitialisedBuffersKeepTheirMemory() {
        int grad = buffers.size();
        buffers.add(new BufferSpec(grad, "grad(w)", BufferRole.GRADIENT, new int[] {8}, false, null));
        int seeded = buffers.size();
        buffers.add(new BufferSpec(seeded, "seeded", BufferRole.ACTIVATION, new int[] {8}, true,
                org.nnlang.runtime.plan.Init.zeros()));
        int a = activation("a");
        ExecutionPlan plan = reuse(
                List.of(step(IN, grad), step(IN, seeded), step(IN, a), step(a, OUT)),
                List.of(step(IN, OUT)));
        assertThat(plan.isShared(grad)).isFalse();
        assertThat(plan.isShared(seeded)).isFalse();
    }

    /** The plan itself refuses a shared slot for a value that outlives a step, whoever built the plan. */
    @Test
    void aPlanRejectsSharingTheInput() {
        activation("a");
        List<Integer> slots = List.of(0, 1, 0); // a in the input's slot
        assertThatThrownBy(() -> new ExecutionPlan("Rules", buffers, List.of(), List.of(), IN, -1, OUT, -1, slots))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in (INPUT)");
    }

    private int activation(String name) {
        int id = buffers.size();
        buffers.add(new BufferSpec(id, name, BufferRole.ACTIVATION, new int[] {8}, true, null));
        return id;
    }

    private static StepSpec step(int... inputsThenOutput) {
        int[] inputs = java.util.Arrays.copyOf(inputsThenOutput, inputsThenOutput.length - 1);
        return new StepSpec("k", inputs, new int[] {inputsThenOutput[inputsThenOutput.length - 1]}, Map.of(), "");
    }

    private ExecutionPlan reuse(List<StepSpec> training, List<StepSpec> inference) {
        ExecutionPlan plan = new ExecutionPlan("Rules", buffers, inference, training, IN, -1, OUT, -1);
        return BufferReuse.apply(plan, Set.of());
    }
}
