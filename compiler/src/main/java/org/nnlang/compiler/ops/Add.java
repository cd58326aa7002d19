package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;

/**
 * {@code add(a, b) → a + b}, element-wise, same shapes (the {@code +} of the language; autodiff also uses it to sum
 * the gradients of a value used more than once).
 * <br>Backward: both inputs receive {@code dy} unchanged.
 */
public final class Add implements Primitive {
    public static final String KIND = "add";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        expectInputs(KIND, inputs, 2);
        if (!inputs.get(0).equals(inputs.get(1))) {
            throw new ShapeException("'+' needs two tensors of the same shape, got " + inputs.get(0) + " and "
                    + inputs.get(1));
        }
        return List.of(inputs.get(0));
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dy = outputGradients.get(0);
        return Arrays.asList(needsGradient[0] ? dy : null, needsGradient[1] ? dy : null);
    }
}
