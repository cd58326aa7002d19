package org.nnlang.compiler.ops;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.TensorType;

/**
 * {@code adam_update(param, grad, lr, m, v, step)}: one step of Adam (AdamW when {@code decoupled}), in place, with
 * PyTorch's formulas: {@code t += 1; g = grad + wd·param} (L2; AdamW instead scales {@code param *= 1 − lr·wd});
 * {@code m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; param −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)}.
 * Updates {@code param}, {@code m}, {@code v} and the one-float step counter {@code step}; reads the learning rate
 * from the one-float {@code lr}, which a schedule may change between steps.
 * Attributes: {@code beta1, beta2, eps, weight_decay} (Double), {@code decoupled} (Boolean).
 */
public final class AdamUpdate implements Primitive {
    public static final String KIND = "adam_update";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        Primitive.expectInputs(KIND, inputs, 6);
        TensorType param = inputs.get(0);
        for (int i : new int[] {1, 3, 4}) {
            if (!inputs.get(i).equals(param)) {
                throw new ShapeException(KIND + ": input " + i + " is " + inputs.get(i) + ", parameter is " + param);
            }
        }
        if (!inputs.get(2).equals(TensorType.fixed(1)) || !inputs.get(5).equals(TensorType.fixed(1))) {
            throw new ShapeException(KIND + ": the learning rate and the step counter must be [1], got "
                    + inputs.get(2) + " and " + inputs.get(5));
        }
        return List.of();
    }
}
