package org.nnlang.compiler.ir;

import java.util.List;
import org.nnlang.compiler.ops.Primitive;
import org.nnlang.compiler.ops.Primitives;

/**
 * A model as the compiler sees it: values and the nodes that compute them, in an order where every node comes after
 * the producers of its inputs. Immutable: every pass returns a new graph.
 *
 * @param name       the model's name
 * @param inputs     the values fed from data, in order (the sample input, then the target when there is one)
 * @param parameters the trainable values
 * @param nodes      the schedule
 * @param output     the model's prediction
 * @param loss       the scalar being minimised, or {@code null} before a loss is attached
 * @param state      optimizer state values (after optimizer lowering)
 */
public record Graph(String name, List<Value> inputs, List<Value> parameters, List<Node> nodes, Value output,
                    Value loss, List<Value> state) {
    public Graph {
        inputs = List.copyOf(inputs);
        parameters = List.copyOf(parameters);
        nodes = List.copyOf(nodes);
        state = List.copyOf(state);
    }

    public Value input() {
        return inputs.get(0);
    }

    /** The labels input, or {@code null} for a graph that only predicts. */
    public Value target() {
        return inputs.stream().filter(v -> v.kind() == ValueKind.TARGET).findFirst().orElse(null);
    }

    public long parameterCount() {
        return parameters.stream().mapToLong(p -> p.type().size()).sum();
    }

    /** Multiply-accumulates of all nodes for one sample of the batch (see {@link Primitive#macs}). */
    public long macs() {
        return nodes.stream().mapToLong(n -> Primitives.get(n.kind()).macs(n)).sum();
    }
}
