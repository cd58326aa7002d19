package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.source.Span;

/**
 * {@code relu}: {@code y = max(x, 0)} element-wise, any shape.
 * <br>Backward: {@code dx = dy} where {@code y > 0}, else 0 (PyTorch's {@code threshold_backward}, which reads the
 * output, so the input need not be kept).
 */
public final class Relu implements LayerOp, Primitive {
    @Override
    public String name() {
        return "relu";
    }

    @Override
    public String kind() {
        return "relu";
    }

    @Override
    public Signature signature() {
        return Signature.none();
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value input = inputs.get(0);
        return graph.addOne(kind(), List.of(input), Map.of(), origin, span, scope);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        expectInputs(kind(), inputs, 1);
        return List.of(inputs.get(0));
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dx = graph.derive(Grad.KIND, List.of(node.output(), outputGradients.get(0)), Map.of(),
                "grad of " + node.origin(), "grad(" + node.input(0).name() + ")");
        return Arrays.asList(dx);
    }

    /** {@code relu_grad(y, dy) → dx}: {@code dy} where {@code y > 0}, else 0. */
    public static final class Grad implements Primitive {
        public static final String KIND = "relu_grad";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            expectInputs(KIND, inputs, 2);
            if (!inputs.get(0).equals(inputs.get(1))) {
                throw new ShapeException(KIND + ": output " + inputs.get(0) + " and gradient " + inputs.get(1)
                        + " differ");
            }
            return List.of(inputs.get(0));
        }
    }
}
