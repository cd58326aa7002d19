package org.nnlang.runtime.io;

import java.util.ArrayList;
import java.util.List;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.Init;
import org.nnlang.runtime.tensor.Rng;

/**
 * The buffers of TinyNet ({@code flatten → linear(8) → batchnorm → relu → linear(3)} on {@code [1, 4, 4]}, the
 * model of scripts/reference/safetensors_fixtures.py) as a hand-made plan without steps: what a checkpoint needs,
 * without the compiler (the runtime never depends on it). Parameters, model state, two optimizer-state buffers, and
 * the input, labels and output, which checkpoints leave alone.
 */
final class TinyPlan {
    private TinyPlan() {
    }

    /** TinyNet as the compiler names it; {@code hidden} and {@code extra} make other models for mismatch tests. */
    static ExecutionPlan plan(String model, int hidden, String... extraParameters) {
        List<BufferSpec> b = new ArrayList<>();
        add(b, "x", BufferRole.INPUT, new int[] {1, 4, 4}, true, null);
        add(b, "labels", BufferRole.TARGET, new int[] {}, true, null);
        add(b, "linear1.weight", BufferRole.PARAMETER, new int[] {hidden, 16}, false, new Init.Uniform(0.25));
        add(b, "linear1.bias", BufferRole.PARAMETER, new int[] {hidden}, false, new Init.Uniform(0.25));
        add(b, "batchnorm1.weight", BufferRole.PARAMETER, new int[] {hidden}, false, new Init.Constant(1));
        add(b, "batchnorm1.bias", BufferRole.PARAMETER, new int[] {hidden}, false, Init.zeros());
        add(b, "linear2.weight", BufferRole.PARAMETER, new int[] {3, hidden}, false, new Init.Uniform(0.35));
        add(b, "linear2.bias", BufferRole.PARAMETER, new int[] {3}, false, new Init.Uniform(0.35));
        for (String extra : extraParameters) {
            add(b, extra, BufferRole.PARAMETER, new int[] {2, 2}, false, new Init.Uniform(1));
        }
        add(b, "batchnorm1.running_mean", BufferRole.MODEL_STATE, new int[] {hidden}, false, Init.zeros());
        add(b, "batchnorm1.running_var", BufferRole.MODEL_STATE, new int[] {hidden}, false, new Init.Constant(1));
        add(b, "linear1.weight.adam_m", BufferRole.OPTIMIZER_STATE, new int[] {hidden, 16}, false, Init.zeros());
        add(b, "linear1.weight.step", BufferRole.OPTIMIZER_STATE, new int[] {1}, false, Init.zeros());
        add(b, "linear2", BufferRole.ACTIVATION, new int[] {3}, true, null);
        add(b, "grad(linear2.weight)", BufferRole.GRADIENT, new int[] {3, hidden}, false, null);
        return new ExecutionPlan(model, b, List.of(), List.of(), 0, 1, b.size() - 2, -1);
    }

    static ExecutionPlan tinyNet() {
        return plan("TinyNet", 8);
    }

    static Executable load(ExecutionPlan plan, long seed) {
        return new CpuBackend(1).load(plan, 4, new Rng(seed));
    }

    /**
     * Fills every buffer a checkpoint with optimizer state holds, the k-th in plan order, with
     * {@code ((37 i + 11 k) mod 101 − 50) / 64} (exact in float32; the Python script checks the same formula).
     */
    static void fillWithPattern(Executable executable) {
        int k = 0;
        for (BufferSpec spec : executable.plan().buffers()) {
            if (spec.role() == BufferRole.PARAMETER || spec.role() == BufferRole.MODEL_STATE
                    || spec.role() == BufferRole.OPTIMIZER_STATE) {
                float[] data = executable.buffer(spec.id());
                for (int i = 0; i < data.length; i++) {
                    data[i] = ((37 * i + 11 * k) % 101 - 50) / 64f;
                }
                k++;
            }
        }
    }

    private static void add(List<BufferSpec> buffers, String name, BufferRole role, int[] dims, boolean batched,
                            Init init) {
        buffers.add(new BufferSpec(buffers.size(), name, role, dims, batched, init));
    }
}
