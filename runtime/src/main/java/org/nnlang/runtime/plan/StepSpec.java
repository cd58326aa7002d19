package org.nnlang.runtime.plan;

import java.util.Arrays;
import java.util.Map;

/**
 * One kernel call of a plan: which kernel, which buffers it reads and writes, and its constant attributes.
 * The list of kernel names and what each expects is documented in {@code org.nnlang.runtime.backend.cpu.CpuKernels}.
 *
 * @param attributes numbers, booleans and strings fixed at compile time (sizes, strides, ...); steps that do matrix
 *                   work also carry {@link #MACS_PER_SAMPLE}, the compiler's count of their multiply-accumulates
 * @param origin     what the user wrote that led to this step (e.g. {@code seed-mlp.nn:6:5 linear(128)}), for
 *                   printing plans and for error messages at run time
 */
public record StepSpec(String kernel, int[] inputs, int[] outputs, Map<String, Object> attributes, String origin) {
    /** The attribute holding a step's multiply-accumulates per sample of the batch (a Long), where it has any. */
    public static final String MACS_PER_SAMPLE = "macs_per_sample";

    public StepSpec {
        inputs = inputs.clone();
        outputs = outputs.clone();
        attributes = Map.copyOf(attributes);
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    @Override
    public int[] outputs() {
        return outputs.clone();
    }

    public int input(int index) {
        return inputs[index];
    }

    public int output(int index) {
        return outputs[index];
    }

    public int intAttribute(String key) {
        return ((Number) required(key)).intValue();
    }

    public double doubleAttribute(String key) {
        return ((Number) required(key)).doubleValue();
    }

    public boolean booleanAttribute(String key) {
        return (Boolean) required(key);
    }

    private Object required(String key) {
        Object value = attributes.get(key);
        if (value == null) {
            throw new IllegalStateException("step '" + kernel + "' has no attribute '" + key + "' (from " + origin + ")");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepSpec s && kernel.equals(s.kernel) && Arrays.equals(inputs, s.inputs)
                && Arrays.equals(outputs, s.outputs) && attributes.equals(s.attributes);
    }

    @Override
    public int hashCode() {
        return kernel.hashCode() * 31 + Arrays.hashCode(inputs);
    }
}
