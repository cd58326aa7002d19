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
 * {@code reshape(dims)}: the same samples seen with another per-sample shape of the same size. A view: the output is
 * the input's memory, so no kernel runs. Backward: the gradient reshaped back to the input's shape.
 *
 * <p>Attribute {@code dims} is an {@code int[]} per-sample shape.
 */
public final class Reshape implements Primitive {
    public static final String KIND = "reshape";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        expectInputs(KIND, inputs, 1);
        int[] dims = (int[]) attributes.get("dims");
        TensorType x = inputs.get(0);
        TensorType y = x.isBatched() ? TensorType.batched(dims) : TensorType.fixed(dims);
        if (y.size() != x.size()) {
            throw new ShapeException("cannot reshape " + x + " (" + x.size() + " elements per sample) to " + y);
        }
        return List.of(y);
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dx = graph.derive(KIND, List.of(outputGradients.get(0)),
                Map.of("dims", node.input(0).type().dims()), "grad of " + node.origin(),
                "grad(" + node.input(0).name() + ")");
        return Arrays.asList(dx);
    }
}
