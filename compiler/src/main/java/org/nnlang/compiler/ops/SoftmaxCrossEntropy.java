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
 * {@code softmax_cross_entropy(logits: [N, C], labels: [N]) → (loss: [], probs: [N, C])}: PyTorch's
 * {@code CrossEntropyLoss} with mean reduction, {@code loss = -(1/N) Σₙ log softmax(logits[n])[label[n]]}.
 * <br>Backward: {@code dlogits = (softmax(logits) − onehot(labels)) / N}. The softmax is kept from the forward pass
 * ({@code probs}), which is why this loss is one fused primitive rather than log-softmax plus a gather: the fused form
 * is both faster and numerically stable.
 * <br>It is always the root of differentiation, so its own gradient is the implicit 1.
 */
public final class SoftmaxCrossEntropy implements Primitive {
    public static final String KIND = "softmax_cross_entropy";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        expectInputs(KIND, inputs, 2);
        TensorType logits = inputs.get(0);
        TensorType labels = inputs.get(1);
        if (!logits.isBatched() || logits.rank() != 1) {
            throw new ShapeException("cross_entropy needs the model to output one score per class, [N, classes], "
                    + "but it outputs " + logits);
        }
        if (!labels.equals(TensorType.batched())) {
            throw new ShapeException("cross_entropy needs one class index per sample, [N], got " + labels);
        }
        return List.of(TensorType.scalar(), logits);
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dlogits = graph.derive(Grad.KIND, List.of(node.outputs().get(1), node.input(1)), Map.of(),
                "grad of " + node.origin(), "grad(" + node.input(0).name() + ")");
        return Arrays.asList(dlogits, null);
    }

    /** {@code softmax_cross_entropy_grad(probs: [N, C], labels: [N]) → (probs − onehot(labels)) / N}. */
    public static final class Grad implements Primitive {
        public static final String KIND = "softmax_cross_entropy_grad";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
                throws ShapeException {
            expectInputs(KIND, inputs, 2);
            return List.of(inputs.get(0));
        }
    }
}
