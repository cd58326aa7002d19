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
 * {@code softmax}: over the last dimension, {@code y_i = e^(x_i − max x) / Σ_j e^(x_j − max x)} (PyTorch's
 * {@code softmax(dim = -1)}). Not needed before {@code cross_entropy}, which includes it.
 * <br>Backward from the output: {@code dx = y ⊙ (dy − Σ_j dy_j · y_j)}.
 */
public final class Softmax implements LayerOp, Primitive {
    public static final String KIND = "softmax";

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Signature signature() {
        return Signature.none();
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        return graph.addOne(KIND, inputs, Map.of(), origin, span, scope);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        expectInputs(KIND, inputs, 1);
        if (inputs.get(0).rank() == 0) {
            throw new ShapeException("softmax needs at least one dimension per sample, got " + inputs.get(0));
        }
        return List.of(inputs.get(0));
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        return Arrays.asList(graph.derive(Grad.KIND, List.of(node.output(), outputGradients.get(0)), Map.of(),
                "grad of " + node.origin(), "grad(" + node.input(0).name() + ")"));
    }

    /** {@code softmax_grad(y, dy) → y ⊙ (dy − Σ dy·y)} over the last dimension. */
    public static final class Grad implements Primitive {
        public static final String KIND = "softmax_grad";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 2);
            return List.of(inputs.get(0));
        }
    }
}
