package org.nnlang.compiler.ir;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nnlang.compiler.ops.Primitives;
import org.nnlang.compiler.ops.ShapeException;

/**
 * Checks the invariants every graph must keep, whichever pass made it. A failure is a compiler bug, never a user's
 * mistake, so it throws, naming the pass that broke the graph and the node at fault.
 *
 * <ul>
 *   <li>every value is defined once (a graph input, parameter, state, or one node's output), before it is read;</li>
 *   <li>names and ids are unique;</li>
 *   <li>every node's output types are what its primitive's shape rule says;</li>
 *   <li>in-place updates touch only parameters and state, each at most once, and nothing reads a value after its
 *       update (so the forward and backward passes all see the weights of this step);</li>
 *   <li>the output is defined, and the loss, when there is one, is a scalar.</li>
 * </ul>
 */
public final class Verifier {
    private Verifier() {
    }

    public static Graph verify(Graph graph, String afterPass) {
        Set<Value> defined = new HashSet<>();
        Set<String> names = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        Set<Value> updated = new HashSet<>();
        for (List<Value> group : List.of(graph.inputs(), graph.parameters(), graph.state())) {
            for (Value v : group) {
                define(v, defined, names, ids, graph, afterPass);
            }
        }
        for (int i = 0; i < graph.nodes().size(); i++) {
            Node node = graph.nodes().get(i);
            String where = "node " + i + " (" + node.kind() + ", from " + node.origin() + ")";
            for (Value in : node.inputs()) {
                if (!defined.contains(in)) {
                    fail(afterPass, where + " reads " + in + " before it is defined");
                }
                if (updated.contains(in)) {
                    fail(afterPass, where + " reads " + in + " after an optimizer step overwrote it");
                }
            }
            checkShapes(node, where, afterPass);
            for (Value out : node.outputs()) {
                if (out.kind() != ValueKind.COMPUTED) {
                    fail(afterPass, where + " writes " + out + " of kind " + out.kind());
                }
                define(out, defined, names, ids, graph, afterPass);
            }
            for (Value target : node.updates()) {
                if (target.kind() != ValueKind.PARAMETER && target.kind() != ValueKind.STATE
                        && target.kind() != ValueKind.MODEL_STATE) {
                    fail(afterPass, where + " updates " + target + ", which is neither a parameter nor state");
                }
                if (!updated.add(target)) {
                    fail(afterPass, where + " updates " + target + " a second time");
                }
            }
        }
        if (graph.output() == null || !defined.contains(graph.output())) {
            fail(afterPass, "the output " + graph.output() + " is not defined");
        }
        if (graph.loss() != null && (!defined.contains(graph.loss()) || graph.loss().type().rank() != 0)) {
            fail(afterPass, "the loss " + graph.loss() + " must be a defined scalar");
        }
        return graph;
    }

    private static void checkShapes(Node node, String where, String afterPass) {
        List<TensorType> expected;
        try {
            expected = Primitives.get(node.kind()).outputTypes(node.inputs().stream().map(Value::type).toList(),
                    node.attributes());
        } catch (ShapeException e) {
            fail(afterPass, where + ": " + e.getMessage());
            return;
        }
        List<TensorType> actual = node.outputs().stream().map(Value::type).toList();
        if (!expected.equals(actual)) {
            fail(afterPass, where + " has outputs " + actual + " but its shape rule gives " + expected);
        }
    }

    private static void define(Value v, Set<Value> defined, Set<String> names, Set<Integer> ids, Graph graph,
                               String afterPass) {
        if (!defined.add(v)) {
            fail(afterPass, v + " is defined twice");
        }
        if (!names.add(v.name())) {
            fail(afterPass, "two values are named '" + v.name() + "'");
        }
        if (!ids.add(v.id())) {
            fail(afterPass, "two values have id " + v.id());
        }
    }

    private static void fail(String afterPass, String problem) {
        throw new IllegalStateException("IR verification failed after pass '" + afterPass + "': " + problem);
    }
}
