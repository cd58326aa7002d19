package org.nnlang.compiler.passes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.ops.Add;
import org.nnlang.compiler.ops.Primitives;

/**
 * Reverse-mode automatic differentiation as a compiler pass: appends to a graph with a loss the nodes that compute
 * d(loss)/d(parameter) for every parameter.
 *
 * <p>It walks the forward nodes from last to first. Because the schedule is topological, by the time it reaches a
 * node every consumer of that node's outputs has already contributed its share of their gradients; it then asks the
 * node's primitive for the gradients of its inputs (the chain rule, one op at a time). A value used several times
 * (fan-out) receives the sum of its consumers' contributions, added with {@code add} nodes.
 *
 * <p>Only what is needed is computed: no gradient for a value the loss does not depend on, nor for one no parameter
 * influences (so the first layer computes no gradient for the input images, as in PyTorch).
 */
public final class Autodiff {
    /** The training graph, and each parameter's gradient value in it. */
    public record Result(Graph graph, Map<Value, Value> gradients) {
    }

    private Autodiff() {
    }

    public static Result differentiate(Graph forward) {
        if (forward.loss() == null) {
            throw new IllegalArgumentException("autodiff needs a graph with a loss");
        }
        Set<Value> dependsOnParameters = dependsOnParameters(forward);
        GraphBuilder graph = GraphBuilder.extending(forward);
        Map<Value, Value> gradients = new HashMap<>();
        List<Node> nodes = forward.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            boolean producesLoss = node.outputs().contains(forward.loss());
            boolean reached = producesLoss || node.outputs().stream().anyMatch(gradients::containsKey);
            boolean[] needs = new boolean[node.inputs().size()];
            boolean anyNeeded = false;
            for (int k = 0; k < needs.length; k++) {
                needs[k] = dependsOnParameters.contains(node.input(k));
                anyNeeded |= needs[k];
            }
            if (!reached || !anyNeeded) {
                continue;
            }
            List<Value> outputGradients = new ArrayList<>();
            node.outputs().forEach(out -> outputGradients.add(gradients.get(out)));
            List<Value> inputGradients = Primitives.get(node.kind()).gradient(node, outputGradients, needs, graph);
            for (int k = 0; k < needs.length; k++) {
                if (needs[k] && inputGradients.get(k) != null) {
                    accumulate(gradients, node.input(k), inputGradients.get(k), graph);
                }
            }
        }
        Map<Value, Value> parameterGradients = new LinkedHashMap<>();
        for (Value p : forward.parameters()) {
            if (gradients.containsKey(p)) {
                parameterGradients.put(p, gradients.get(p));
            }
        }
        return new Result(graph.build(forward.output(), forward.loss()), parameterGradients);
    }

    private static void accumulate(Map<Value, Value> gradients, Value of, Value contribution, GraphBuilder graph) {
        Value existing = gradients.get(of);
        if (existing == null) {
            gradients.put(of, contribution);
        } else {
            gradients.put(of, graph.derive(Add.KIND, List.of(existing, contribution), Map.of(),
                    "sum of gradients of %" + of.name(), "grad(" + of.name() + ")"));
        }
    }

    /** Parameters, and every value computed from at least one parameter. */
    private static Set<Value> dependsOnParameters(Graph graph) {
        Set<Value> result = new HashSet<>(graph.parameters());
        for (Node node : graph.nodes()) {
            if (node.inputs().stream().anyMatch(result::contains)) {
                result.addAll(node.outputs());
            }
        }
        result.removeIf(v -> v.kind() == ValueKind.INPUT || v.kind() == ValueKind.TARGET);
        return result;
    }
}
