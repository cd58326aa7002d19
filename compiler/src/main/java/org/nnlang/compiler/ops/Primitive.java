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

    /** Checks that {@code inputs} holds exactly {@code count} types; shape rules start with it. */
    static void expectInputs(String kind, List<TensorType> inputs, int count) throws ShapeException {
        if (inputs.size() != count) {
            throw new ShapeException("'" + kind + "' takes " + count + " input" + (count == 1 ? "" : "s")
                    + ", got " + inputs.size());
        }
    }
}
