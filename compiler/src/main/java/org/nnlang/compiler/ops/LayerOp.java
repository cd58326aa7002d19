package org.nnlang.compiler.ops;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.source.Span;

/**
 * An op as users write it in a {@code .nn} file ({@code linear(128)}, {@code relu}): its attributes, and how one call
 * becomes parameters and primitive nodes of the graph.
 */
public interface LayerOp {
    /** The name users write. */
    String name();

    /** The attributes, in positional order, with their types, defaults and ranges. */
    Signature signature();

    /** How many tensors flow in: 1 for most ops, {@link #ANY} for ops that take a tuple such as {@code concat}. */
    default int inputCount() {
        return 1;
    }

    /** {@link #inputCount()} of ops that take a tuple of two or more tensors. */
    int ANY = -1;

    /**
     * Adds this call to the graph.
     *
     * @param attributes  already checked against {@link #signature()}: every attribute present, of the right type
     *                    and in range
     * @param scope       a unique prefix for the parameters this call creates, e.g. {@code linear1}
     * @param inputs      the tensors flowing in: exactly {@link #inputCount()} of them, or two or more for
     *                    {@link #ANY}
     * @return the value the call produces
     * @throws ShapeException when the inputs cannot go into this op; the message names the values and shapes
     */
    Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope, String origin,
                Span span) throws ShapeException;
}
