package org.nnlang.compiler.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.Primitives;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * Last stage: a verified graph → the runtime's {@link ExecutionPlan}. Every value gets a buffer, allocated once when
 * the plan is loaded, except views ({@code reshape}), which share the buffer of their input; every other node becomes
 * one step. The training schedule is the graph's node order; the inference schedule keeps only the nodes the output
 * depends on.
 */
public final class PlanBuilder {
    private final List<BufferSpec> buffers = new ArrayList<>();
    private final Map<Value, Integer> bufferOf = new HashMap<>();

    private PlanBuilder() {
    }

    /** A plan that can train ({@code graph} has a loss and optimizer updates) and predict. */
    public static ExecutionPlan build(Graph graph) {
        return new PlanBuilder().plan(graph);
    }

    private ExecutionPlan plan(Graph graph) {
        for (Value v : graph.inputs()) {
            allocate(v, v.kind() == org.nnlang.compiler.ir.ValueKind.TARGET ? BufferRole.TARGET : BufferRole.INPUT);
        }
        graph.parameters().forEach(v -> allocate(v, BufferRole.PARAMETER));
        graph.state().forEach(v -> allocate(v, BufferRole.OPTIMIZER_STATE));
        boolean pastLoss = false;
        List<StepSpec> training = new ArrayList<>();
        for (Node node : graph.nodes()) {
            boolean view = Primitives.get(node.kind()).isView();
            for (Value out : node.outputs()) {
                if (view) {
                    bufferOf.put(out, bufferOf.get(node.input(0)));
                } else {
                    allocate(out, out == graph.loss() ? BufferRole.LOSS
                            : pastLoss ? BufferRole.GRADIENT : BufferRole.ACTIVATION);
                }
            }
            pastLoss |= node.outputs().contains(graph.loss());
            if (!view) {
                training.add(step(node));
            }
        }
        Set<Node> needed = neededFor(graph.output(), graph.nodes());
        List<StepSpec> inference = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (needed.contains(node) && !Primitives.get(node.kind()).isView()) {
                inference.add(step(node));
            }
        }
        int target = graph.target() == null ? -1 : bufferOf.get(graph.target());
        int loss = graph.loss() == null ? -1 : bufferOf.get(graph.loss());
        return new ExecutionPlan(graph.name(), buffers, inference, graph.loss() == null ? List.of() : training,
                bufferOf.get(graph.input()), target, bufferOf.get(graph.output()), loss);
    }

    private void allocate(Value value, BufferRole role) {
        int id = buffers.size();
        buffers.add(new BufferSpec(id, value.name(), role, value.type().dims(), value.type().isBatched(),
                value.init()));
        bufferOf.put(value, id);
    }

    private StepSpec step(Node node) {
        List<Value> written = node.updates().isEmpty() ? node.outputs() : node.updates();
        Map<String, Object> attributes = new HashMap<>();
        node.attributes().forEach((key, value) -> {
            if (!(value instanceof int[])) {
                attributes.put(key, value);
            }
        });
        String where = node.span().isSynthetic() ? "" : node.span() + " ";
        return new StepSpec(node.kind(), ids(node.inputs()), ids(written), attributes, where + node.origin());
    }

    private int[] ids(List<Value> values) {
        return values.stream().mapToInt(bufferOf::get).toArray();
    }

    /** The nodes whose outputs {@code output} depends on, directly or not. */
    private static Set<Node> neededFor(Value output, List<Node> nodes) {
        Set<Value> wanted = new HashSet<>(List.of(output));
        Set<Node> needed = new HashSet<>();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            if (node.outputs().stream().anyMatch(wanted::contains)) {
                needed.add(node);
                wanted.addAll(node.inputs());
            }
        }
        return needed;
    }
}
