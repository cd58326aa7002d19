package org.nnlang.compiler.ops;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;

/**
 * A kind of IR node: the unit the graph, the verifier, autodiff and the backends share. Its {@link #kind()} is also the
 * name of the runtime kernel that executes it.
 */
public interface Primitive {
    String kind();

    /** The shape rule: output types from input types and attributes, or why the inputs do not fit. */
    List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> attributes) throws ShapeException;

    /** True when the output is the input's memory seen with another shape (no kernel runs, no copy is made). */
    default boolean isView() {
        return false;
    }

    /**
     * The gradient rule: add nodes to {@code graph} that compute d(loss)/d(input) for every input with
     * {@code needsGradient[i]}, given {@code outputGradients} (one per output; {@code null} for an output the loss
     * does not depend on, and for the loss itself, whose gradient is the implicit 1).
     *
     * @return one value per input: its gradient, or {@code null} where none was asked for
     */
    default List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                 GraphBuilder graph) {
        throw new UnsupportedOperationException("'" + kind() + "' is not differentiable");
    }

    /**
     * Multiply-accumulates per sample (for batched nodes) or in all, the cost figure {@code nn check} and
     * {@code nn inspect} report. Element-wise work counts 0: it is memory-bound, and torchinfo does not count it
     * either.
     */
    default long macs(Node node) {
        return 0;
    }

    /**
     * The node's form in the inference graph, which evaluation and prediction run: most primitives are the same in
     * both (the default adds the same node on the mapped inputs); dropout vanishes and batch normalisation switches to
     * its running statistics.
     *
     * @param inputs the node's inputs as they are in the inference graph
     * @return the values standing for the node's outputs in the inference graph
     */
    default List<Value> inference(Node node, List<Value> inputs, GraphBuilder graph) {
        return graph.deriveAll(node.kind(), inputs, node.attributes(), node.origin(),
                node.outputs().stream().map(Value::name).toArray(String[]::new));
    }

    /** Checks that {@code inputs} holds exactly {@code count} types; shape rules start with it. */
    static void expectInputs(String kind, List<TensorType> inputs, int count) throws ShapeException {
        if (inputs.size() != count) {
            throw new ShapeException("'" + kind + "' takes " + count + " input" + (count == 1 ? "" : "s")
                    + ", got " + inputs.size());
        }
    }
}
