package org.nnlang.compiler.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnlang.compiler.ops.Primitive;
import org.nnlang.compiler.ops.Primitives;
import org.nnlang.compiler.ops.ShapeException;
import org.nnlang.compiler.source.Span;
import org.nnlang.runtime.plan.Init;

/**
 * Builds a {@link Graph} one node at a time. Every node's output types come from its primitive's shape rule, so a
 * graph built here is well-typed by construction; the {@link Verifier} re-checks it after each pass anyway.
 *
 * <p>A pass starts from {@link #extending(Graph)}, which keeps the graph's values (and their ids) and continues
 * numbering after them.
 */
public final class GraphBuilder {
    private final String name;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> parameters = new ArrayList<>();
    private final List<Value> state = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    private int nextId;

    public GraphBuilder(String name) {
        this(name, 0);
    }

    /**
     * A builder whose values are numbered from {@code firstId}: a graph derived from another (the inference graph
     * beside the training graph) shares its parameters and state, so its own values must not reuse their ids.
     */
    public GraphBuilder(String name, int firstId) {
        this.name = name;
        this.nextId = firstId;
    }

    /** Makes {@code value}, from another graph, one of this graph's inputs (same value, same buffer). */
    public void shareInput(Value value) {
        inputs.add(value);
        usedNames.add(value.name());
    }

    /** Makes {@code value}, a parameter of another graph, a parameter of this one too. */
    public void shareParameter(Value value) {
        parameters.add(value);
        usedNames.add(value.name());
    }

    /** Makes {@code value}, state of another graph, state of this one too. */
    public void shareState(Value value) {
        state.add(value);
        usedNames.add(value.name());
    }

    /** A builder holding everything {@code graph} has, to which a pass adds. */
    public static GraphBuilder extending(Graph graph) {
        GraphBuilder builder = new GraphBuilder(graph.name());
        builder.inputs.addAll(graph.inputs());
        builder.parameters.addAll(graph.parameters());
        builder.state.addAll(graph.state());
        builder.nodes.addAll(graph.nodes());
        List<Value> all = new ArrayList<>(graph.inputs());
        all.addAll(graph.parameters());
        all.addAll(graph.state());
        graph.nodes().forEach(n -> all.addAll(n.outputs()));
        for (Value v : all) {
            builder.usedNames.add(v.name());
            builder.nextId = Math.max(builder.nextId, v.id() + 1);
        }
        return builder;
    }

    public String name() {
        return name;
    }

    public Value input(String valueName, ValueKind kind, TensorType type, Span span) {
        Value value = newValue(valueName, kind, type, null, span);
        inputs.add(value);
        return value;
    }

    public Value parameter(String valueName, TensorType type, Init init, Span span) {
        Value value = newValue(valueName, ValueKind.PARAMETER, type, init, span);
        parameters.add(value);
        return value;
    }

    /** Optimizer state: moments, momentum buffers, step counters. */
    public Value state(String valueName, TensorType type, Init init) {
        Value value = newValue(valueName, ValueKind.STATE, type, init, Span.synthetic());
        state.add(value);
        return value;
    }

    /** A number the training loop sets between steps (the learning rate), starting at {@code init}. */
    public Value hyperparameter(String valueName, Init init) {
        Value value = newValue(valueName, ValueKind.HYPERPARAMETER, TensorType.fixed(1), init, Span.synthetic());
        state.add(value);
        return value;
    }

    /** State of the model that is not trained by gradients, such as running statistics. */
    public Value modelState(String valueName, TensorType type, Init init, Span span) {
        Value value = newValue(valueName, ValueKind.MODEL_STATE, type, init, span);
        state.add(value);
        return value;
    }

    /**
     * Adds a node of primitive {@code kind}, typing its outputs with the primitive's shape rule.
     *
     * @param outputNames one readable name per output of the primitive (made unique if taken)
     * @return the node's outputs
     */
    public List<Value> add(String kind, List<Value> nodeInputs, Map<String, Object> attributes, String origin,
                           Span span, String... outputNames) throws ShapeException {
        Primitive primitive = Primitives.get(kind);
        List<TensorType> types = primitive.outputTypes(nodeInputs.stream().map(Value::type).toList(), attributes);
        if (types.size() != outputNames.length) {
            throw new IllegalArgumentException("'" + kind + "' has " + types.size() + " outputs, "
                    + outputNames.length + " names given");
        }
        List<Value> outputs = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            outputs.add(newValue(outputNames[i], ValueKind.COMPUTED, types.get(i), null, span));
        }
        nodes.add(new Node(kind, nodeInputs, outputs, List.of(), attributes, origin, span));
        return outputs;
    }

    /** {@link #add} for the common case of one output. */
    public Value addOne(String kind, List<Value> nodeInputs, Map<String, Object> attributes, String origin,
                        Span span, String outputName) throws ShapeException {
        return add(kind, nodeInputs, attributes, origin, span, outputName).get(0);
    }

    /**
     * {@link #addOne} for nodes whose inputs are known to fit, because a pass built them from a graph that was
     * already checked; a shape error here is a compiler bug, not a user's mistake.
     */
    public Value derive(String kind, List<Value> nodeInputs, Map<String, Object> attributes, String origin,
                        String outputName) {
        try {
            return addOne(kind, nodeInputs, attributes, origin, Span.synthetic(), outputName);
        } catch (ShapeException e) {
            throw new IllegalStateException("compiler bug: derived node '" + kind + "' does not fit: "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@link #add} for a node that also overwrites {@code updated} state in place, as batch normalisation updates
     * its running statistics while it normalises.
     */
    public List<Value> addWithUpdates(String kind, List<Value> nodeInputs, List<Value> updated,
                                      Map<String, Object> attributes, String origin, Span span,
                                      String... outputNames) throws ShapeException {
        List<Value> outputs = add(kind, nodeInputs, attributes, origin, span, outputNames);
        Node plain = nodes.remove(nodes.size() - 1);
        nodes.add(new Node(kind, plain.inputs(), plain.outputs(), updated, attributes, origin, span));
        return outputs;
    }

    /** {@link #derive} for primitives with several outputs. */
    public List<Value> deriveAll(String kind, List<Value> nodeInputs, Map<String, Object> attributes, String origin,
                                 String... outputNames) {
        try {
            return add(kind, nodeInputs, attributes, origin, Span.synthetic(), outputNames);
        } catch (ShapeException e) {
            throw new IllegalStateException("compiler bug: derived node '" + kind + "' does not fit: "
                    + e.getMessage(), e);
        }
    }

    /** The largest id given out so far plus one: where a graph derived from this one starts numbering. */
    public int nextId() {
        return nextId;
    }

    /** Adds a node that overwrites {@code updated} values in place (an optimizer step). */
    public void addUpdate(String kind, List<Value> nodeInputs, List<Value> updated, Map<String, Object> attributes,
                          String origin) {
        nodes.add(new Node(kind, nodeInputs, List.of(), updated, attributes, origin, Span.synthetic()));
    }

    public Graph build(Value output, Value loss) {
        return new Graph(name, inputs, parameters, nodes, output, loss, state);
    }

    private Value newValue(String requestedName, ValueKind kind, TensorType type, Init init, Span span) {
        String unique = requestedName;
        for (int suffix = 2; usedNames.contains(unique); suffix++) {
            unique = requestedName + "_" + suffix;
        }
        usedNames.add(unique);
        return new Value(nextId++, unique, kind, type, init, span);
    }
}
