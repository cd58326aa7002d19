package org.nnlang.compiler.ir;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.nnlang.runtime.plan.Init;

/**
 * Prints a graph as text, one line per value and node — the format of {@code nn inspect --dump ir} and of the golden
 * tests, so the two cannot disagree:
 * <pre>
 * graph SeedMlp
 *   input %x: [N, 1, 28, 28]
 *   param %linear1.weight: [128, 784] init uniform(±0.0357143)
 *   %flatten1: [N, 784] = reshape(%x) {dims=[784]}
 * </pre>
 */
public final class GraphPrinter {
    private GraphPrinter() {
    }

    public static String print(Graph graph) {
        StringBuilder out = new StringBuilder("graph ").append(graph.name()).append('\n');
        for (Value v : graph.inputs()) {
            out.append("  input ").append(v).append('\n');
        }
        for (Value v : graph.parameters()) {
            out.append("  param ").append(v).append(init(v)).append('\n');
        }
        for (Value v : graph.state()) {
            out.append("  state ").append(v).append(init(v)).append('\n');
        }
        for (Node node : graph.nodes()) {
            out.append("  ");
            if (!node.outputs().isEmpty()) {
                out.append(node.outputs().stream().map(Value::toString).collect(Collectors.joining(", ")))
                        .append(" = ");
            }
            out.append(node.kind()).append('(')
                    .append(names(node.inputs())).append(')');
            if (!node.updates().isEmpty()) {
                out.append(" updates ").append(names(node.updates()));
            }
            if (!node.attributes().isEmpty()) {
                out.append(' ').append(attributes(node.attributes()));
            }
            out.append('\n');
        }
        out.append("  output %").append(graph.output().name()).append('\n');
        if (graph.loss() != null) {
            out.append("  loss %").append(graph.loss().name()).append('\n');
        }
        return out.toString();
    }

    private static String names(List<Value> values) {
        return values.stream().map(v -> "%" + v.name()).collect(Collectors.joining(", "));
    }

    /** {@code init uniform(±0.0357143)}, {@code init zeros}, {@code init constant(1)}: how the value starts out. */
    private static String init(Value v) {
        if (v.init() == null) {
            return "";
        }
        if (v.init() instanceof Init.Uniform u) {
            return " init uniform(±" + String.format(Locale.ROOT, "%.6g", u.bound()) + ")";
        }
        if (v.init() instanceof Init.Constant c) {
            return c.value() == 0 ? " init zeros" : " init constant(" + c.value() + ")";
        }
        return " init " + v.init();
    }

    private static String attributes(Map<String, Object> attributes) {
        return new TreeMap<>(attributes).entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() instanceof int[] a ? Arrays.toString(a) : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
