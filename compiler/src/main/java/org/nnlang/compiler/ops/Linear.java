package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.ArrayList;
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
import org.nnlang.runtime.plan.Init;

/**
 * {@code linear(out, bias = true)}: a fully connected layer, PyTorch's {@code nn.Linear}.
 *
 * <p>Forward: {@code y = x·Wᵀ + b} with {@code x: [N, in]}, {@code W: [out, in]}, {@code b: [out]}, {@code y: [N, out]}.
 * <br>Backward, for {@code dy = dL/dy}: {@code dx = dy·W}, {@code dW = dyᵀ·x}, {@code db = Σₙ dy[n]}.
 * <br>Initialisation (PyTorch's default, {@code kaiming_uniform_(a=√5)}): W and b both from
 * {@code U(-1/√in, 1/√in)}.
 */
public final class Linear implements LayerOp, Primitive {
    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String kind() {
        return "linear";
    }

    @Override
    public Signature signature() {
        return Signature.of(
                Attribute.required("out", Type.INT, 1),
                Attribute.optional("bias", Type.BOOL, true, null));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value input = inputs.get(0);
        TensorType x = input.type();
        if (x.rank() != 1) {
            throw new ShapeException("linear needs a flat input [N, features], but '" + input.name() + "' is " + x
                    + (x.rank() > 1 ? "; put 'flatten' before it" : ""));
        }
        int in = x.dim(0);
        int out = (Integer) attributes.get("out");
        boolean bias = (Boolean) attributes.get("bias");
        Init init = new Init.Uniform(1.0 / Math.sqrt(in));
        List<Value> nodeInputs = new ArrayList<>(List.of(input,
                graph.parameter(scope + ".weight", TensorType.fixed(out, in), init, span)));
        if (bias) {
            nodeInputs.add(graph.parameter(scope + ".bias", TensorType.fixed(out), init, span));
        }
        return graph.addOne(kind(), nodeInputs, Map.of(), origin, span, scope);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        if (inputs.size() != 2 && inputs.size() != 3) {
            throw new ShapeException("'linear' takes x, weight and an optional bias, got " + inputs.size()
                    + " inputs");
        }
        TensorType x = inputs.get(0);
        TensorType w = inputs.get(1);
        if (x.rank() != 1 || !x.isBatched() || w.rank() != 2 || w.dim(1) != x.dim(0)) {
            throw new ShapeException("linear: input " + x + " does not match weight " + w);
        }
        if (inputs.size() == 3 && !inputs.get(2).equals(TensorType.fixed(w.dim(0)))) {
            throw new ShapeException("linear: bias " + inputs.get(2) + " does not match weight " + w);
        }
        return List.of(TensorType.batched(w.dim(0)));
    }

    @Override
    public long macs(Node node) {
        return (long) node.input(1).type().size();
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dy = outputGradients.get(0);
        Value[] grads = new Value[node.inputs().size()];
        String origin = "grad of " + node.origin();
        if (needsGradient[0]) {
            grads[0] = graph.derive(GradInput.KIND, List.of(dy, node.input(1)), Map.of(), origin,
                    "grad(" + node.input(0).name() + ")");
        }
        if (needsGradient[1]) {
            grads[1] = graph.derive(GradWeight.KIND, List.of(dy, node.input(0)), Map.of(), origin,
                    "grad(" + node.input(1).name() + ")");
        }
        if (grads.length == 3 && needsGradient[2]) {
            grads[2] = graph.derive(GradBias.KIND, List.of(dy), Map.of(), origin,
                    "grad(" + node.input(2).name() + ")");
        }
        return Arrays.asList(grads);
    }

    /** {@code linear_grad_input(dy: [N, out], W: [out, in]) → dx = dy·W: [N, in]}. */
    public static final class GradInput implements Primitive {
        public static final String KIND = "linear_grad_input";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            expectInputs(KIND, inputs, 2);
            TensorType dy = inputs.get(0);
            TensorType w = inputs.get(1);
            if (dy.rank() != 1 || !dy.isBatched() || w.rank() != 2 || w.dim(0) != dy.dim(0)) {
                throw new ShapeException(KIND + ": gradient " + dy + " does not match weight " + w);
            }
            return List.of(TensorType.batched(w.dim(1)));
        }

        @Override
        public long macs(Node node) {
            return node.input(1).type().size();
        }
    }

    /** {@code linear_grad_weight(dy: [N, out], x: [N, in]) → dW = dyᵀ·x: [out, in]}, summed over the batch. */
    public static final class GradWeight implements Primitive {
        public static final String KIND = "linear_grad_weight";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            expectInputs(KIND, inputs, 2);
            TensorType dy = inputs.get(0);
            TensorType x = inputs.get(1);
            if (dy.rank() != 1 || x.rank() != 1 || !dy.isBatched() || !x.isBatched()) {
                throw new ShapeException(KIND + ": expected [N, out] and [N, in], got " + dy + " and " + x);
            }
            return List.of(TensorType.fixed(dy.dim(0), x.dim(0)));
        }

        @Override
        public long macs(Node node) {
            return node.output().type().size();
        }
    }

    /** {@code linear_grad_bias(dy: [N, out]) → db = Σₙ dy[n]: [out]}. */
    public static final class GradBias implements Primitive {
        public static final String KIND = "linear_grad_bias";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            expectInputs(KIND, inputs, 1);
            TensorType dy = inputs.get(0);
            if (dy.rank() != 1 || !dy.isBatched()) {
                throw new ShapeException(KIND + ": expected [N, out], got " + dy);
            }
            return List.of(TensorType.fixed(dy.dim(0)));
        }
    }
}
