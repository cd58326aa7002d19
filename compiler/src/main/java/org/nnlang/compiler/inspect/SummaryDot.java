package org.nnlang.compiler.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code nn inspect --format dot}: a graph summary as Graphviz DOT ({@code dot -Tsvg}). Each node is a box with its
 * name, op and output shape; its parameters are folded into the box (one line with their count and shapes) rather
 * than drawn as nodes of their own, which would double the picture for a line of text. Fed inputs are ovals; edges
 * carry the shape of the value flowing along them; block calls are clusters; the colour says the phase.
 */
public final class SummaryDot {
    private static final Map<Phase, String> COLOURS = Map.of(Phase.FORWARD, "#dbe8fb", Phase.LOSS, "#fdf0c2",
            Phase.BACKWARD, "#fbdcdc", Phase.OPTIMIZER, "#dcf5dc");

    private SummaryDot() {
    }

    public static String print(List<GraphSummary> summaries) {
        StringBuilder out = new StringBuilder();
        for (GraphSummary s : summaries) {
            out.append(print(s));
        }
        return out.toString();
    }

    public static String print(GraphSummary s) {
        StringBuilder out = new StringBuilder();
        out.append("digraph ").append(id(s.model() + " (" + s.graph() + ")")).append(" {\n");
        out.append("  rankdir=TB;\n");
        out.append("  graph [fontname=\"Helvetica\", fontsize=11, label=")
                .append(id(s.model() + " — " + s.graph() + " graph: " + Units.number(s.params()) + " params, "
                        + Units.number(s.macs()) + " MACs per sample"))
                .append(", labelloc=t];\n");
        out.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (Operand input : s.inputs()) {
            out.append("  ").append(id(input.name())).append(" [shape=oval, fillcolor=\"#eeeeee\", label=")
                    .append(id(input.name() + "\n" + input.kind() + " " + input.shape())).append("];\n");
        }
        // Clusters for block calls, nested as the calls were.
        Map<List<String>, List<NodeRow>> byGroup = new LinkedHashMap<>();
        for (NodeRow row : s.rows()) {
            byGroup.computeIfAbsent(row.group(), g -> new ArrayList<>()).add(row);
        }
        cluster(List.of(), byGroup, "  ", out);
        for (NodeRow row : s.rows()) {
            for (Operand input : row.dataInputs()) {
                String from = input.producer() != null ? input.producer() : input.name();
                out.append("  ").append(id(from)).append(" -> ").append(id(row.name())).append(" [label=")
                        .append(id(input.shape())).append("];\n");
            }
        }
        out.append("}\n");
        return out.toString();
    }

    private static void cluster(List<String> group, Map<List<String>, List<NodeRow>> byGroup, String indent,
                                StringBuilder out) {
        for (NodeRow row : byGroup.getOrDefault(group, List.of())) {
            out.append(indent).append(id(row.name())).append(" [fillcolor=\"").append(COLOURS.get(row.phase()))
                    .append("\", label=").append(id(label(row))).append("];\n");
        }
        List<List<String>> children = byGroup.keySet().stream()
                .filter(g -> g.size() > group.size() && g.subList(0, group.size()).equals(group))
                .map(g -> g.subList(0, group.size() + 1)).distinct().toList();
        for (List<String> child : children) {
            out.append(indent).append("subgraph ").append(id("cluster_" + String.join(".", child))).append(" {\n");
            out.append(indent).append("  label=").append(id(String.join(".", child))).append("; style=dashed;\n");
            cluster(child, byGroup, indent + "  ", out);
            out.append(indent).append("}\n");
        }
    }

    /** {@code linear1\nlinear → [N, 128]\n100,480 params: weight [128, 784], bias [128]}. */
    static String label(NodeRow row) {
        StringBuilder label = new StringBuilder(row.name()).append('\n').append(row.op());
        if (!row.outputs().isEmpty()) {
            label.append(" → ").append(row.outputShape());
        }
        List<Operand> weights = row.weightInputs();
        if (!weights.isEmpty()) {
            label.append('\n');
            if (row.params() > 0) {
                label.append(Units.number(row.params())).append(" params: ");
            }
            label.append(weights.stream().map(w -> shortName(w.name(), row) + " " + w.shape())
                    .collect(Collectors.joining(", ")));
        }
        if (row.macs() > 0) {
            label.append('\n').append(Units.count(row.macs())).append(" MACs");
        }
        return label.toString();
    }

    /** {@code linear1.weight} in the box of {@code linear1} is just {@code weight}. */
    private static String shortName(String value, NodeRow row) {
        String owner = ModelInspector.unwrap(row.name()) + ".";
        return value.startsWith(owner) ? value.substring(owner.length()) : value;
    }

    /** A DOT string: quoted, with quotes, backslashes and line breaks escaped. */
    static String id(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
