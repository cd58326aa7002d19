package org.nnlang.compiler.ops;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.TensorType;

/**
 * Gradient clipping by global norm, PyTorch's {@code clip_grad_norm_(parameters, max_norm)}:
 * {@code clip_coefficient(g₁, …, g_k) {max_norm} → c: [1]} with {@code ‖g‖ = √(Σᵢ Σ gᵢ²)} over every gradient and
 * {@code c = min(1, max_norm / (‖g‖ + 1e-6))}; then each gradient is multiplied by c ({@link Scale}) before the
 * optimizer reads it. Gradients already within the norm pass unchanged (c = 1).
 */
public final class ClipGradNorm implements Primitive {
    public static final String KIND = "clip_coefficient";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        if (inputs.isEmpty()) {
            throw new ShapeException(KIND + " needs at least one gradient");
        }
        return List.of(TensorType.fixed(1));
    }

    /** {@code scale(g, c) → g · c[0]}: one gradient times the clipping coefficient. */
    public static final class Scale implements Primitive {
        public static final String KIND = "scale";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            Primitive.expectInputs(KIND, inputs, 2);
            if (!inputs.get(1).equals(TensorType.fixed(1))) {
                throw new ShapeException(KIND + ": the factor must be [1], got " + inputs.get(1));
            }
            return List.of(inputs.get(0));
        }
    }
}
