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
 * {@code mse(prediction, target) → []}: PyTorch's {@code MSELoss} with mean reduction,
 * {@code loss = (1/M) Σ (prediction − target)²} over all M elements of the batch.
 * <br>Backward: {@code dprediction = 2 (prediction − target) / M}. It is always the root of differentiation.
 */
public final class Mse implements Primitive {
    public static final String KIND = "mse";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes)
            throws ShapeException {
        expectInputs(KIND, inputs, 2);
        if (!inputs.get(0).equals(inputs.get(1))) {
            throw new ShapeException("mse needs the prediction and the target to have the same shape, got "
                    + inputs.get(0) + " and " + inputs.get(1));
        }
        return List.of(TensorType.scalar());
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dprediction = graph.derive(Grad.KIND, List.of(node.input(0), node.input(1)), Map.of(),
                "grad of " + node.origin(), "grad(" + node.input(0).name() + ")");
        return Arrays.asList(dprediction, null);
    }

    /** {@code mse_grad(prediction, target) → 2 (prediction − target) / M}. */
    public static final class Grad implements Primitive {
        public static final String KIND = "mse_grad";

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
