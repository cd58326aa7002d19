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
 * What element-wise activations ({@code relu}, {@code sigmoid}, {@code tanh}, {@code gelu}) share: no attributes, the
 * output has the input's shape, and the gradient is one {@code NAME_grad} node that reads either the output (when the
 * derivative is cheapest from it, as for sigmoid's {@code y(1−y)}) or the input. Each subclass states its formulas.
 */
public abstract class Activation implements LayerOp, Primitive {
    private final String name;
    private final boolean gradientReadsOutput;

    /** @param gradientReadsOutput whether {@code NAME_grad(v, dy)} takes the output y (else the input x) as v */
    protected Activation(String name, boolean gradientReadsOutput) {
        this.name = name;
        this.gradientReadsOutput = gradientReadsOutput;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return name;
    }

    /** The kind of the gradient node: {@code relu_grad}, {@code sigmoid_grad}, … */
    public String gradKind() {
        return name + "_grad";
    }

    @Override
    public Signature signature() {
        return Signature.none();
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        return graph.addOne(kind(), inputs, Map.of(), origin, span, scope);
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
        Value saved = gradientReadsOutput ? node.output() : node.input(0);
        Value dx = graph.derive(gradKind(), List.of(saved, outputGradients.get(0)), Map.of(),
                "grad of " + node.origin(), "grad(" + node.input(0).name() + ")");
        return Arrays.asList(dx);
    }

    /** The gradient node of an activation: {@code (saved, dy) → dx}, all of one shape. */
    public static final class Grad implements Primitive {
        private final String kind;

        public Grad(Activation activation) {
            this.kind = activation.gradKind();
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            expectInputs(kind, inputs, 2);
            if (!inputs.get(0).equals(inputs.get(1))) {
                throw new ShapeException(kind + ": " + inputs.get(0) + " and gradient " + inputs.get(1) + " differ");
            }
            return List.of(inputs.get(0));
        }
    }
}
