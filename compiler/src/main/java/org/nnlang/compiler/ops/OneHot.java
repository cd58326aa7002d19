package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.TensorType;

/**
 * {@code one_hot(labels: [N], classes) → [N, classes]}: row n is 1 at {@code labels[n]} and 0 elsewhere (PyTorch's
 * {@code F.one_hot(labels, classes).float()}). Lets a regression loss such as {@code mse} train on class labels.
 * Labels are data, so it has no gradient.
 */
public final class OneHot implements Primitive {
    public static final String KIND = "one_hot";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        expectInputs(KIND, inputs, 1);
        if (!inputs.get(0).equals(TensorType.batched())) {
            throw new ShapeException(KIND + " needs one class index per sample, [N], got " + inputs.get(0));
        }
        return List.of(TensorType.batched((Integer) attributes.get("classes")));
    }
}
