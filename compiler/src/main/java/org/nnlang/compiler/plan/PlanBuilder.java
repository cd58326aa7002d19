package org.nnlang.compiler.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.ops.Primitives;
import org.nnlang.compiler.passes.TrainingPipeline;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * Last stage: the training and inference graphs → the runtime's {@link ExecutionPlan}. Every value gets a buffer,
 * allocated once when the plan is loaded, except views ({@code reshape}), which share the buffer of their input; every
 * other node becomes one step. The training schedule is the training graph's node order; the inference schedule is the
 * inference graph's, writing into the buffers of the training values it stands for (the two never run at once), so
 * evaluation costs no extra memory. Last, unless {@link PlanOptions#reuseBuffers} is off, {@link BufferReuse} lets
 * buffers whose lifetimes never overlap share storage.
 */
public final class PlanBuilder {
    private final List<BufferSpec> buffers = new ArrayList<>();
    private final Map<Value, Integer> bufferOf = new HashMap<>();

    private PlanBuilder() {
    }

    /** A plan that trains with {@code stages.training()} and predicts with {@code stages.inference()}. */
    public static ExecutionPlan build(TrainingPipeline.Stages stages) {
        return build(stages, PlanOptions.DEFAULT);
    }

    public static ExecutionPlan build(TrainingPipeline.Stages stages, PlanOptions options) {
        return build(stages.training(), stages.inference(), stages.counterparts(), options);
    }

    /** As {@link #build(Graph, Graph, Map, PlanOptions)} with the default options (buffers reused). */
    public static ExecutionPlan build(Graph graph, Graph inference, Map<Value, Value> counterparts) {
        return build(graph, inference, counterparts, PlanOptions.DEFAULT);
    }

    /**
     * @param graph        the graph one training step runs (with a loss)
     * @param inference    the graph prediction runs, sharing {@code graph}'s input, parameters and state
     * @param counterparts for values of {@code inference}, the value of {@code graph} whose buffer they may use
     */
    public static ExecutionPlan build(Graph graph, Graph inference, Map<Value, Value> counterparts,
                                      PlanOptions options) {
        PlanBuilder builder = new PlanBuilder();
        ExecutionPlan plan = builder.plan(graph, inference, counterparts);
        // The training graph's own output may differ from the plan's (the inference one); keep it readable too.
        return options.reuseBuffers()
                ? BufferReuse.apply(plan, java.util.Set.of(builder.bufferOf.get(graph.output()))) : plan;
    }

    private ExecutionPlan plan(Graph graph, Graph inferenceGraph, Map<Value, Value> counterparts) {
        for (Value v : graph.inputs()) {
            allocate(v, v.kind() == ValueKind.TARGET ? BufferRole.TARGET : BufferRole.INPUT);
        }
        graph.parameters().forEach(v -> allocate(v, BufferRole.PARAMETER));
        graph.state().forEach(v -> allocate(v, switch (v.kind()) {
            case MODEL_STATE -> BufferRole.MODEL_STATE;
            case HYPERPARAMETER -> BufferRole.HYPERPARAMETER;
            default -> BufferRole.OPTIMIZER_STATE;
        }));
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
        List<StepSpec> inference = new ArrayList<>();
        for (Node node : inferenceGraph.nodes()) {
            boolean view = Primitives.get(node.kind()).isView();
            for (Value out : node.outputs()) {
                Value counterpart = counterparts.get(out);
                if (view) {
                    bufferOf.put(out, bufferOf.get(node.input(0)));
                } else if (counterpart != null && bufferOf.containsKey(counterpart)
                        && counterpart.type().equals(out.type())) {
                    bufferOf.put(out, bufferOf.get(counterpart));
                } else {
                    allocate(out, BufferRole.ACTIVATION);
                }
            }
            if (!view) {
                inference.add(step(node));
            }
        }
        int target = graph.target() == null ? -1 : bufferOf.get(graph.target());
        int loss = graph.loss() == null ? -1 : bufferOf.get(graph.loss());
        return new ExecutionPlan(graph.name(), buffers, inference, graph.loss() == null ? List.of() : training,
                bufferOf.get(graph.input()), target, bufferOf.get(inferenceGraph.output()), loss);
    }

    private void allocate(Value value, BufferRole role) {
        int id = buffers.size();
        buffers.add(new BufferSpec(id, value.name(), role, value.type().dims(), value.type().isBatched(),
                value.init()));
        bufferOf.put(value, id);
    }

    private StepSpec step(Node node) {
        List<Value> written = new ArrayList<>(node.outputs());
        written.addAll(node.updates());
        Map<String, Object> attributes = new HashMap<>();
        node.attributes().forEach((key, value) -> {
            if (!(value instanceof int[])) {
                attributes.put(key, value);
            }
        });
        long macs = Primitives.get(node.kind()).macs(node);
        if (macs > 0) {
            attributes.put(StepSpec.MACS_PER_SAMPLE, macs);
        }
        String where = node.span().isSynthetic() ? "" : node.span() + " ";
        return new StepSpec(node.kind(), ids(node.inputs()), ids(written), attributes, where + node.origin());
    }

    private int[] ids(List<Value> values) {
        return values.stream().mapToInt(bufferOf::get).toArray();
    }
}
