package org.nnlang.compiler.inspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.ops.Primitives;
import org.nnlang.compiler.passes.TrainingPipeline;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;

/**
 * Builds {@link GraphSummary summaries} of a compilation's graphs: the inference graph (what evaluation runs; the
 * forward graph for a model without a {@code train} block), the training graph (forward, loss, backward and
 * optimizer nodes), or the graph after any pass of the training pipeline.
 */
public final class ModelInspector {
    /** The graph evaluation runs (the default of {@code nn inspect}). */
    public static final String INFERENCE = "inference";
    /** The one training graph: forward, loss, backward and optimizer nodes. */
    public static final String TRAINING = "training";

    private ModelInspector() {
    }

    /** The model names of a compilation that have a graph: models that compile on their own, then train blocks. */
    public static List<String> models(Compilation compilation) {
        Set<String> names = new java.util.LinkedHashSet<>(compilation.forwardGraphs().keySet());
        names.addAll(compilation.trainings().keySet());
        return List.copyOf(names);
    }

    /**
     * The summary of one graph of {@code model}.
     *
     * @param graph {@link #INFERENCE}, {@link #TRAINING} or a pass name of {@link TrainingPipeline}
     * @param batch the batch size for bytes and batch totals, or {@code null} for the train block's (else 1)
     * @throws IllegalArgumentException when the model or the graph does not exist (the message says which there are)
     */
    public static GraphSummary summarize(Compilation compilation, String model, String graph, Integer batch) {
        Compilation.CompiledTraining training = compilation.trainings().get(model);
        Graph forward = compilation.forwardGraphs().get(model);
        if (training == null && forward == null) {
            throw new IllegalArgumentException("no model '" + model + "' with a graph; models: "
                    + String.join(", ", models(compilation)));
        }
        int b = batch != null ? batch : training != null ? training.job().config().batch() : 1;
        ExecutionPlan plan = training != null ? training.job().plan() : null;
        if (graph.equals(INFERENCE)) {
            Graph g = training != null ? training.stages().inference() : forward;
            return summarize(g, INFERENCE, name -> Phase.FORWARD, b, plan);
        }
        if (training == null) {
            throw new IllegalArgumentException("model '" + model + "' has no train block, so no " + graph
                    + " graph; add one, or look at the inference graph");
        }
        TrainingPipeline.Stages stages = training.stages();
        String pass = graph.equals(TRAINING) ? TrainingPipeline.OPTIMIZER : graph;
        Graph g = stages.byPass().get(pass);
        if (g == null) {
            throw new IllegalArgumentException("unknown graph '" + graph + "'; the graphs are: " + INFERENCE + ", "
                    + TRAINING + ", and the passes " + String.join(", ", stages.byPass().keySet()));
        }
        Map<String, Phase> phases = phases(stages);
        return summarize(g, graph, name -> pass.equals(TrainingPipeline.INFERENCE) ? Phase.FORWARD
                : phases.getOrDefault(name, Phase.OPTIMIZER), b, plan);
    }

    /** Each node name of the training graph, with the phase of the pass that added it. */
    public static Map<String, Phase> phases(TrainingPipeline.Stages stages) {
        Map<String, Phase> phases = new HashMap<>();
        Map<String, Phase> byPass = new LinkedHashMap<>();
        byPass.put(TrainingPipeline.FORWARD, Phase.FORWARD);
        byPass.put(TrainingPipeline.ATTACH_LOSS, Phase.LOSS);
        byPass.put(TrainingPipeline.AUTODIFF, Phase.BACKWARD);
        byPass.put(TrainingPipeline.OPTIMIZER, Phase.OPTIMIZER);
        byPass.forEach((pass, phase) -> {
            Graph graph = stages.byPass().get(pass);
            if (graph != null) {
                for (String name : nodeNames(graph)) {
                    phases.putIfAbsent(name, phase);
                }
            }
        });
        return phases;
    }

    /**
     * The summary of any graph.
     *
     * @param phaseOf the phase of a node, by node name
     * @param plan    the execution plan whose buffers give the memory figure, or null
     */
    public static GraphSummary summarize(Graph graph, String label, Function<String, Phase> phaseOf, int batch,
                                         ExecutionPlan plan) {
        List<String> names = nodeNames(graph);
        Set<String> weightNames = new HashSet<>();
        graph.parameters().forEach(p -> weightNames.add(p.name()));
        Map<Value, String> producers = new HashMap<>();
        Set<Value> counted = new HashSet<>();
        List<NodeRow> rows = new ArrayList<>();
        long modelState = 0;
        Set<Value> modelStateSeen = new HashSet<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node node = graph.nodes().get(i);
            String name = names.get(i);
            long params = 0;
            List<Operand> inputs = new ArrayList<>();
            for (Value input : node.inputs()) {
                if (input.kind() == ValueKind.PARAMETER && counted.add(input)) {
                    params += input.type().size();
                }
                if (input.kind() == ValueKind.MODEL_STATE && modelStateSeen.add(input)) {
                    modelState += input.type().size();
                }
                inputs.add(Operand.of(input, producers.get(input)));
            }
            List<Operand> outputs = new ArrayList<>();
            for (Value output : node.outputs()) {
                outputs.add(Operand.of(output, name));
                producers.put(output, name);
            }
            String base = unwrap(name);
            List<String> path = List.of(base.split("\\."));
            String owner = weightNames.contains(base) && path.size() > 1
                    ? base.substring(0, base.lastIndexOf('.')) : base;
            List<String> ownerPath = List.of(owner.split("\\."));
            List<String> group = ownerPath.subList(0, ownerPath.size() - 1);
            rows.add(new NodeRow(name, path, group, node.kind(), phaseOf.apply(name), inputs, outputs, params,
                    Primitives.get(node.kind()).macs(node), Primitives.get(node.kind()).isView(), params > 0,
                    node.origin() == null ? "" : node.origin(),
                    node.span() == null || node.span().isSynthetic() ? "" : node.span().toString()));
        }
        List<Operand> inputs = graph.inputs().stream().map(v -> Operand.of(v, null)).toList();
        return new GraphSummary(graph.name(), label, batch, inputs, rows, graph.parameterCount(), modelState,
                plan == null ? null : memory(plan, batch));
    }

    /**
     * Every buffer of the plan at {@code batch}, in all and by role, and what its storage slots take. The transient
     * figures count the slots holding activations and gradients of values (the buffers reuse can share); parameter
     * gradients, which keep memory of their own, are not among them.
     */
    public static GraphSummary.Memory memory(ExecutionPlan plan, int batch) {
        Map<String, Long> byRole = new LinkedHashMap<>();
        long total = 0;
        long transientTotal = 0;
        long[] slotBytes = plan.slotCapacities(batch);
        boolean[] transientSlot = new boolean[slotBytes.length];
        for (BufferSpec buffer : plan.buffers()) {
            long bytes = (long) buffer.capacity(batch) * Float.BYTES;
            total += bytes;
            byRole.merge(buffer.role().name().toLowerCase(java.util.Locale.ROOT), bytes, Long::sum);
            if (isTransient(buffer)) {
                transientTotal += bytes;
                transientSlot[plan.slot(buffer.id())] = true;
            }
        }
        long allocated = 0;
        long transientAllocated = 0;
        for (int slot = 0; slot < slotBytes.length; slot++) {
            allocated += slotBytes[slot] * Float.BYTES;
            transientAllocated += transientSlot[slot] ? slotBytes[slot] * Float.BYTES : 0;
        }
        return new GraphSummary.Memory(batch, plan.buffers().size(), total, byRole, slotBytes.length, allocated,
                transientTotal, transientAllocated);
    }

    /** Per-sample values of one step: activations, gradients of values (batched), scratch. */
    private static boolean isTransient(BufferSpec buffer) {
        return switch (buffer.role()) {
            case ACTIVATION, SCRATCH -> true;
            case GRADIENT -> buffer.batched();
            default -> false;
        };
    }

    /**
     * A name per node, unique in the graph: the first output's name; {@code update(VALUE)} for a node that only
     * updates values in place (optimizer steps); a {@code #2} suffix should two nodes still share a name.
     */
    public static List<String> nodeNames(Graph graph) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Node node : graph.nodes()) {
            String name = !node.outputs().isEmpty() ? node.output().name()
                    : !node.updates().isEmpty() ? "update(" + node.updates().get(0).name() + ")" : node.kind();
            int count = seen.merge(name, 1, Integer::sum);
            names.add(count == 1 ? name : name + "#" + count);
        }
        return names;
    }

    /** {@code grad(a.b)} → {@code a.b}, {@code update(a.weight)} → {@code a.weight}. */
    static String unwrap(String name) {
        String s = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
        while (s.endsWith(")") && s.indexOf('(') > 0) {
            s = s.substring(s.indexOf('(') + 1, s.length() - 1);
        }
        return s;
    }
}
