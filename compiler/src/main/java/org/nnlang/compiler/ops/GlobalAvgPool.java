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
 * {@code global_avg_pool}: the mean of each channel over all positions, {@code [N, C, H, W] → [N, C]} (PyTorch's
 * {@code AdaptiveAvgPool2d(1)} followed by {@code Flatten}).
 * <br>Backward: {@code dx[n,c,i,j] = dy[n,c] / (H·W)}.
 */
public final class GlobalAvgPool implements LayerOp, Primitive {
    public static final String KIND = "global_avg_pool";

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
        Conv2d.imageChannels(KIND, inputs.get(0));
        return graph.addOne(KIND, inputs, Map.of(), origin, span, scope);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        expectInputs(KIND, inputs, 1);
        if (inputs.get(0).rank() != 3) {
            throw new ShapeException(KIND + " needs [N, C, H, W], got " + inputs.get(0));
        }
        return List.of(TensorType.batched(inputs.get(0).dim(0)));
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        TensorType x = node.input(0).type();
        return Arrays.asList(graph.derive(Grad.KIND, List.of(outputGradients.get(0)),
                Map.of("in_height", x.dim(1), "in_width", x.dim(2)), "grad of " + node.origin(),
                "grad(" + node.input(0).name() + ")"));
    }

    /** {@code global_avg_pool_grad(dy: [N, C]) → dx: [N, C, in_height, in_width]}. */
    public static final class Grad implements Primitive {
        public static final String KIND = "global_avg_pool_grad";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 1);
            return List.of(TensorType.batched(inputs.get(0).dim(0), (Integer) a.get("in_height"),
                    (Integer) a.get("in_width")));
        }
    }
}
