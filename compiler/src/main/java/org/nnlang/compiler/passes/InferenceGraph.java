package org.nnlang.compiler.passes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.ops.Primitives;

/**
 * Derives the inference graph — what evaluation and prediction run — from a model's forward graph, which is written
 * in training mode. Each node takes its primitive's inference form: dropout disappears, batch normalisation uses its
 * running statistics, everything else stays. The two graphs share the input, the parameters and the state, so they
 * run on the same weights.
 */
public final class InferenceGraph {
    /**
     * The inference graph, and for each of its computed values the forward value it stands for (so the plan can give
     * both the same buffer: they are never needed at the same time).
     */
    public record Result(Graph graph, Map<Value, Value> counterparts) {
    }

    private InferenceGraph() {
    }

    /** @param firstId where the new graph's own value ids start, past every id of the graphs it sits beside */
    public static Result derive(Graph forward, int firstId) {
        GraphBuilder graph = new GraphBuilder(forward.name(), firstId);
        Map<Value, Value> mapped = new HashMap<>();
        for (Value input : forward.inputs()) {
            if (input.kind() == ValueKind.INPUT) {
                graph.shareInput(input);
                mapped.put(input, input);
            }
        }
        forward.parameters().forEach(p -> {
            graph.shareParameter(p);
            mapped.put(p, p);
        });
        forward.state().forEach(s -> {
            graph.shareState(s);
            mapped.put(s, s);
        });
        Map<Value, Value> counterparts = new HashMap<>();
        for (Node node : forward.nodes()) {
            List<Value> inputs = new ArrayList<>();
            node.inputs().forEach(in -> inputs.add(mapped.get(in)));
            List<Value> outputs = Primitives.get(node.kind()).inference(node, inputs, graph);
            for (int i = 0; i < outputs.size(); i++) {
                Value inferred = outputs.get(i);
                if (inferred != null) {
                    mapped.put(node.outputs().get(i), inferred);
                    if (!node.inputs().contains(node.outputs().get(i)) && !inputs.contains(inferred)) {
                        counterparts.put(inferred, node.outputs().get(i));
                    }
                }
            }
        }
        return new Result(graph.build(mapped.get(forward.output()), null), counterparts);
    }
}
