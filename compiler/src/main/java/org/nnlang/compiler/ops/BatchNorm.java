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
import org.nnlang.runtime.plan.Init;

/**
 * {@code batchnorm(eps = 1e-5, momentum = 0.1)}: PyTorch's {@code BatchNorm2d} on {@code [N, C, H, W]} (or
 * {@code BatchNorm1d} on {@code [N, C]}), per channel c over the batch and all positions.
 *
 * <p>Training ({@code batchnorm_train}): {@code μ, σ²} of the batch (σ² biased),
 * {@code y = γ · (x − μ) / √(σ² + ε) + β}; the running statistics move towards the batch's,
 * {@code running = (1 − momentum) · running + momentum · batch}, with the UNBIASED variance for {@code running_var}.
 * <br>Evaluation ({@code batchnorm_eval}): the same formula with the running statistics — the inference graph
 * switches to it, so evaluation never depends on the batch.
 * <br>Backward, with {@code x̂ = (x − μ)/√(σ² + ε)} over m values per channel: {@code dβ = Σ dy},
 * {@code dγ = Σ dy·x̂}, {@code dx = γ/√(σ² + ε) · (dy − dβ/m − x̂·dγ/m)}.
 * <br>γ starts at 1, β at 0, the running mean at 0 and the running variance at 1.
 */
public final class BatchNorm implements LayerOp, Primitive {
    public static final String KIND = "batchnorm_train";

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Signature signature() {
        return Signature.of(
                Attribute.optional("eps", Type.FLOAT, 1e-5, 0),
                Attribute.optional("momentum", Type.FLOAT, 0.1, 0));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value x = inputs.get(0);
        if (!x.type().isBatched() || (x.type().rank() != 1 && x.type().rank() != 3)) {
            throw new ShapeException("batchnorm needs [N, C, H, W] or [N, C], but '" + x.name() + "' is "
                    + x.type());
        }
        double momentum = (Double) attributes.get("momentum");
        if (momentum > 1) {
            throw new ShapeException("batchnorm: momentum must be between 0 and 1, found " + momentum);
        }
        TensorType channels = TensorType.fixed(x.type().dim(0));
        Value gamma = graph.parameter(scope + ".weight", channels, new Init.Constant(1), span);
        Value beta = graph.parameter(scope + ".bias", channels, Init.zeros(), span);
        Value mean = graph.modelState(scope + ".running_mean", channels, Init.zeros(), span);
        Value variance = graph.modelState(scope + ".running_var", channels, new Init.Constant(1), span);
        return graph.addWithUpdates(KIND, List.of(x, gamma, beta, mean, variance), List.of(mean, variance),
                Map.of("eps", attributes.get("eps"), "momentum", momentum), origin, span,
                scope, scope + ".saved_mean", scope + ".saved_invstd").get(0);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        expectInputs(KIND, inputs, 5);
        TensorType x = inputs.get(0);
        TensorType channels = TensorType.fixed(x.dim(0));
        for (int i = 1; i < 5; i++) {
            if (!inputs.get(i).equals(channels)) {
                throw new ShapeException(KIND + ": input " + i + " is " + inputs.get(i) + ", expected " + channels);
            }
        }
        return List.of(x, channels, channels);
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        List<Value> grads = graph.deriveAll(Grad.KIND, List.of(node.input(0), outputGradients.get(0),
                        node.outputs().get(1), node.outputs().get(2), node.input(1)), Map.of(),
                "grad of " + node.origin(), "grad(" + node.input(0).name() + ")",
                "grad(" + node.input(1).name() + ")", "grad(" + node.input(2).name() + ")");
        return Arrays.asList(needsGradient[0] ? grads.get(0) : null, grads.get(1), grads.get(2), null, null);
    }

    @Override
    public List<Value> inference(Node node, List<Value> inputs, GraphBuilder graph) {
        Value y = graph.derive(Eval.KIND, inputs, Map.of("eps", node.attributes().get("eps")), node.origin(),
                node.output().name());
        return Arrays.asList(y, null, null);
    }

    /** {@code batchnorm_grad(x, dy, saved_mean, saved_invstd, γ) → (dx, dγ, dβ)}. */
    public static final class Grad implements Primitive {
        public static final String KIND = "batchnorm_grad";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 5);
            return List.of(inputs.get(0), inputs.get(4), inputs.get(4));
        }
    }

    /** {@code batchnorm_eval(x, γ, β, running_mean, running_var) → y}, the evaluation form. */
    public static final class Eval implements Primitive {
        public static final String KIND = "batchnorm_eval";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 5);
            return List.of(inputs.get(0));
        }
    }
}
