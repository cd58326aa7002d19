package org.nnlang.compiler.ir;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.source.Span;

/**
 * One operation of the graph: a primitive {@code kind} (the name of the kernel that runs it, e.g. {@code linear},
 * {@code relu_grad}, {@code adam_update}) applied to {@code inputs}, producing {@code outputs}.
 *
 * <p>Optimizer updates are the one exception to "every value is written once": they overwrite {@code updates}
 * (parameters and state) in place, which is what lets a training step allocate nothing. The verifier checks that
 * nothing reads an updated value after its update.
 *
 * @param attributes compile-time constants of the kind (sizes, learning rate): Integer, Double, Boolean or String
 * @param origin     what the user wrote that led here, e.g. {@code linear(128)} or {@code grad of linear(128)}
 */
public record Node(String kind, List<Value> inputs, List<Value> outputs, List<Value> updates,
                   Map<String, Object> attributes, String origin, Span span) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        updates = List.copyOf(updates);
        attributes = Map.copyOf(attributes);
    }

    public Value input(int index) {
        return inputs.get(index);
    }

    public Value output() {
        return outputs.get(0);
    }

    public int intAttribute(String key) {
        return ((Number) attributes.get(key)).intValue();
    }
}
