package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.Signature.Attribute;
import org.nnlang.compiler.ops.Signature.Type;
import org.nnlang.compiler.source.Span;

/**
 * {@code dropout(p = 0.5)}: inverted dropout, as PyTorch. In training each element is kept with probability
 * {@code 1 − p} and scaled, {@code y = x · mask / (1 − p)} with a fresh mask every step (drawn from the run's seed,
 * so runs repeat); the backward is {@code dx = dy · mask / (1 − p)}. The inference graph has no dropout at all: its
 * output is its input.
 */
public final class Dropout implements LayerOp, Primitive {
    public static final String KIND = "dropout";

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
        return Signature.of(Attribute.optional("p", Type.FLOAT, 0.5, 0));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        double p = (Double) attributes.get("p");
        if (p > 1) {
            throw new ShapeException("dropout: p is a probability, between 0 and 1; found " + p);
        }
        return graph.add(KIND, inputs, Map.of("p", p), origin, span, scope, scope + ".mask").get(0);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        expectInputs(KIND, inputs, 1);
        return List.of(inputs.get(0), inputs.get(0));
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        return Arrays.asList(graph.derive(Grad.KIND, List.of(outputGradients.get(0), node.outputs().get(1)),
                node.attributes(), "grad of " + node.origin(), "grad(" + node.input(0).name() + ")"));
    }

    @Override
    public List<Value> inference(Node node, List<Value> inputs, GraphBuilder graph) {
        return Arrays.asList(inputs.get(0), null);
    }

    /** {@code dropout_grad(dy, mask) → dy · mask / (1 − p)}. */
    public static final class Grad implements Primitive {
        public static final String KIND = "dropout_grad";

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
