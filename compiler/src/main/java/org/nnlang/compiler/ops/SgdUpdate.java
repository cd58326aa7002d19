package org.nnlang.compiler.ops;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.TensorType;

/**
 * {@code sgd_update(param, grad, lr[, buffer, step])}: one step of SGD, in place, with PyTorch's formulas:
 * {@code d = grad + wd·param}; with momentum, {@code buffer = d} on the first step, else
 * {@code buffer = μ·buffer + (1 − dampening)·d}, and {@code d = d + μ·buffer} (Nesterov) or {@code d = buffer};
 * {@code param −= lr·d}, the learning rate read from the one-float {@code lr}. Without momentum there is no buffer
 * and no step counter. Attributes: {@code momentum, dampening, weight_decay} (Double), {@code nesterov} (Boolean).
 */
public final class SgdUpdate implements Primitive {
    public static final String KIND = "sgd_update";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        if (inputs.size() != 3 && inputs.size() != 5) {
            throw new ShapeException(KIND + " takes param, grad and lr, plus buffer and step with momentum; got "
                    + inputs.size() + " inputs");
        }
        TensorType param = inputs.get(0);
        if (!inputs.get(1).equals(param) || inputs.size() == 5 && !inputs.get(3).equals(param)) {
            throw new ShapeException(KIND + ": gradient or buffer shape differs from parameter " + param);
        }
        if (!inputs.get(2).equals(TensorType.fixed(1))
                || inputs.size() == 5 && !inputs.get(4).equals(TensorType.fixed(1))) {
            throw new ShapeException(KIND + ": the learning rate and the step counter must be [1]");
        }
        return List.of();
    }
}
