package org.nnlang.compiler.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The difference between two graphs, node by node: nodes are matched by name (the name encodes the block calls,
 * so the same layer of two versions of a model matches), and each is {@code added}, {@code removed},
 * {@code reshaped} (its input or output shapes changed), {@code changed} (same shapes, another op) or the same.
 * Every entry carries the change in parameters and multiply-accumulates, and the totals add them up.
 *
 * @param before  the summary of the first graph
 * @param after   the summary of the second
 * @param entries the nodes that differ: in the order of {@code after}, each removed node after the node it
 *                followed in {@code before}
 * @param same    how many nodes are identical in both
 */
public record GraphDiff(GraphSummary before, GraphSummary after, List<Entry> entries, int same) {
    /** How a node changed. */
    public enum Change {
        ADDED, REMOVED, RESHAPED, CHANGED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One node that differs.
     *
     * @param before the node in the first graph, or null when it was added
     * @param after  the node in the second graph, or null when it was removed
     */
    public record Entry(Change change, String name, NodeRow before, NodeRow after) {
        public long paramsDelta() {
            return (after == null ? 0 : after.params()) - (before == null ? 0 : before.params());
        }

        public long macsDelta() {
            return (after == null ? 0 : after.macs()) - (before == null ? 0 : before.macs());
        }

        /** The op, or {@code old → new} when it changed. */
        public String op() {
            if (before == null || after == null || before.op().equals(after.op())) {
                return (after != null ? after : before).op();
            }
            return before.op() + " → " + after.op();
        }

        /** The output shape, or {@code old → new} when it changed. */
        public String shape() {
            if (before == null || after == null) {
                return (after != null ? after : before).outputShape();
            }
            String in = before.inputShape().equals(after.inputShape()) ? ""
                    : "in " + before.inputShape() + " → " + after.inputShape() + "; ";
            return in + (before.outputShape().equals(after.outputShape()) ? after.outputShape()
                    : before.outputShape() + " → " + after.outputShape());
        }
    }

    public static GraphDiff compare(GraphSummary before, GraphSummary after) {
        Map<String, NodeRow> old = new LinkedHashMap<>();
        before.rows().forEach(r -> old.put(r.name(), r));
        Map<String, NodeRow> now = new LinkedHashMap<>();
        after.rows().forEach(r -> now.put(r.name(), r));
        List<Entry> entries = new ArrayList<>();
        int same = 0;
        // Removed nodes go after the last node of `before` that is still there, so related changes sit together.
        Map<String, List<NodeRow>> removedAfter = new LinkedHashMap<>();
        String anchor = "";
        for (NodeRow row : before.rows()) {
            if (now.containsKey(row.name())) {
                anchor = row.name();
            } else {
                removedAfter.computeIfAbsent(anchor, a -> new ArrayList<>()).add(row);
            }
        }
        removedAfter.getOrDefault("", List.of()).forEach(r -> entries.add(new Entry(Change.REMOVED, r.name(), r,
                null)));
        for (NodeRow row : after.rows()) {
            NodeRow was = old.get(row.name());
            if (was == null) {
                entries.add(new Entry(Change.ADDED, row.name(), null, row));
            } else {
                boolean reshaped = !was.outputShape().equals(row.outputShape())
                        || !was.inputShape().equals(row.inputShape());
                boolean changed = !was.op().equals(row.op()) || was.params() != row.params()
                        || was.macs() != row.macs();
                if (reshaped) {
                    entries.add(new Entry(Change.RESHAPED, row.name(), was, row));
                } else if (changed) {
                    entries.add(new Entry(Change.CHANGED, row.name(), was, row));
                } else {
                    same++;
                }
            }
            removedAfter.getOrDefault(row.name(), List.of()).forEach(r -> entries.add(new Entry(Change.REMOVED,
                    r.name(), r, null)));
        }
        return new GraphDiff(before, after, entries, same);
    }

    public long paramsDelta() {
        return after.params() - before.params();
    }

    public long macsDelta() {
        return after.macs() - before.macs();
    }

    /** The entries of one kind of change. */
    public List<Entry> entries(Change change) {
        return entries.stream().filter(e -> e.change() == change).toList();
    }

    /** The diff as a table: a line per differing node, then the totals. */
    public String table(String beforeLabel, String afterLabel) {
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(beforeLabel).append(": ").append(before.model()).append(", ").append(before.graph())
                .append(" graph, ").append(before.rows().size()).append(" nodes\n");
        out.append("+++ ").append(afterLabel).append(": ").append(after.model()).append(", ").append(after.graph())
                .append(" graph, ").append(after.rows().size()).append(" nodes\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "Node", "Op", "Shape", "Params Δ", "MACs Δ"});
        for (Entry e : entries) {
            String mark = switch (e.change()) {
                case ADDED -> "+";
                case REMOVED -> "-";
                case RESHAPED, CHANGED -> "~";
            };
            rows.add(new String[] {mark, e.name(), e.op(), e.shape(), e.paramsDelta() == 0 ? "" : Units.delta(
                    e.paramsDelta()), e.macsDelta() == 0 ? "" : Units.delta(e.macsDelta())});
        }
        if (entries.isEmpty()) {
            out.append("no differences: ").append(same).append(" nodes, the same in both\n");
        } else {
            int[] widths = new int[6];
            rows.forEach(r -> {
                for (int c = 0; c < r.length; c++) {
                    widths[c] = Math.max(widths[c], r[c].length());
                }
            });
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < r.length; c++) {
                    String pad = " ".repeat(widths[c] - r[c].length());
                    line.append(c == 0 ? "" : "  ").append(c >= 4 ? pad + r[c] : r[c] + pad);
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
        }
        out.append('\n');
        out.append(String.format(java.util.Locale.ROOT, "%d added, %d removed, %d reshaped, %d changed, %d the same%n",
                entries(Change.ADDED).size(), entries(Change.REMOVED).size(), entries(Change.RESHAPED).size(),
                entries(Change.CHANGED).size(), same));
        out.append("Params: ").append(Units.number(before.params())).append(" → ").append(Units.number(after.params()))
                .append(" (").append(Units.delta(paramsDelta())).append(")\n");
        out.append("MACs per sample: ").append(Units.number(before.macs())).append(" → ")
                .append(Units.number(after.macs())).append(" (").append(Units.delta(macsDelta())).append(")\n");
        return out.toString();
    }

    /** The diff as a JSON tree (maps and lists): both sides' totals, the deltas and one object per differing node. */
    public Map<String, Object> json(String beforeLabel, String afterLabel) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", side(beforeLabel, before));
        d.put("after", side(afterLabel, after));
        d.put("paramsDelta", paramsDelta());
        d.put("macsDelta", macsDelta());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Change change : Change.values()) {
            counts.put(change.label(), entries(change).size());
        }
        counts.put("same", same);
        d.put("counts", counts);
        List<Object> nodes = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("change", e.change().label());
            n.put("name", e.name());
            n.put("op", (e.after() != null ? e.after() : e.before()).op());
            n.put("opBefore", e.before() == null ? null : e.before().op());
            n.put("shapeBefore", e.before() == null ? null : e.before().outputShape());
            n.put("shapeAfter", e.after() == null ? null : e.after().outputShape());
            n.put("paramsDelta", e.paramsDelta());
            n.put("macsDelta", e.macsDelta());
            nodes.add(n);
        }
        d.put("nodes", nodes);
        return d;
    }

    private static Map<String, Object> side(String label, GraphSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", label);
        m.put("model", s.model());
        m.put("graph", s.graph());
        m.put("nodes", s.rows().size());
        m.put("params", s.params());
        m.put("macs", s.macs());
        return m;
    }
}
