package org.nnlang.compiler.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link GraphSummary} as torchinfo does: a row per node, indented under the block calls it came from, in
 * aligned columns, and the totals below.
 * <pre>
 * SeedMlp — inference graph, batch 32
 * ═══════════════════════════════════════════════════════════════════════════════════════
 * Layer (op)            Input shape      Output shape  Params  Params %      MACs  Activations
 * flatten1 (reshape)    [N, 1, 28, 28]   [N, 784]           …
 * </pre>
 */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String print(GraphSummary s) {
        boolean training = s.phases().size() > 1;
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Layer (op)", "Input shape", "Output shape", "Params",
                "Params %", "MACs", "Activations", "Trainable"));
        if (training) {
            header.add(0, "Phase");
        }
        rows.add(header.toArray(String[]::new));
        List<String> openGroup = List.of();
        Phase openPhase = null;
        for (NodeRow row : s.rows()) {
            List<String> group = row.group();
            int common = row.phase() == openPhase ? commonPrefix(openGroup, group) : 0;
            for (int depth = common; depth < group.size(); depth++) {
                List<String> prefix = group.subList(0, depth + 1);
                long params = 0;
                long macs = 0;
                long bytes = 0;
                for (NodeRow r : s.rows()) {
                    if (r.phase() == row.phase() && startsWith(r.group(), prefix)) {
                        params += r.params();
                        macs += r.macs();
                        bytes += r.activationBytes(s.batch());
                    }
                }
                rows.add(cells(training, row.phase(), "  ".repeat(depth) + group.get(depth) + " (block)", "", "",
                        params == 0 ? "—" : Units.number(params), params == 0 ? "" : Units.percent(params, s.params()),
                        macs == 0 ? "—" : Units.number(macs), Units.bytes(bytes), params > 0 ? "yes" : ""));
            }
            openGroup = group;
            openPhase = row.phase();
            rows.add(cells(training, row.phase(), "  ".repeat(group.size()) + row.name() + " (" + row.op() + ")",
                    row.inputShape(), row.outputShape(), row.params() == 0 ? "—" : Units.number(row.params()),
                    row.params() == 0 ? "" : Units.percent(row.params(), s.params()),
                    row.macs() == 0 ? "—" : Units.number(row.macs()),
                    row.view() ? "(view)" : row.outputs().isEmpty() ? "(in place)"
                            : Units.bytes(row.activationBytes(s.batch())), row.trainable() ? "yes" : ""));
        }
        StringBuilder table = new StringBuilder();
        int width = table(rows, training, table);
        StringBuilder out = new StringBuilder();
        out.append(s.model()).append(" — ").append(s.graph()).append(" graph, batch ").append(s.batch())
                .append("; input ").append(String.join(", ",
                        s.inputs().stream().map(i -> i.name() + ": " + i.shape()).toList())).append('\n');
        String thick = "═".repeat(width) + "\n";
        String thin = "─".repeat(width) + "\n";
        out.append(thick);
        int firstLineEnd = table.indexOf("\n") + 1;
        out.append(table, 0, firstLineEnd).append(thin).append(table.substring(firstLineEnd)).append(thick);
        totals(s, out, thin);
        out.append(thick);
        return out.toString();
    }

    private static void totals(GraphSummary s, StringBuilder out, String thin) {
        out.append("Total params: ").append(Units.number(s.params())).append('\n');
        out.append("Trainable params: ").append(Units.number(s.params())).append('\n');
        out.append("Non-trainable params: 0");
        if (s.modelState() > 0) {
            out.append(" (plus ").append(Units.number(s.modelState()))
                    .append(" numbers of model state: running statistics, saved but not trained)");
        }
        out.append('\n');
        out.append("Params size: ").append(Units.bytes(s.params() * Float.BYTES)).append('\n');
        out.append(thin);
        Map<Phase, Long> macs = s.macsByPhase();
        List<Phase> phases = s.phases();
        if (phases.size() <= 1) {
            out.append("MACs per sample: ").append(Units.number(s.macs())).append('\n');
        } else {
            out.append("MACs per sample:");
            for (Phase phase : phases) {
                out.append(' ').append(phase.label()).append(' ').append(Units.number(macs.get(phase))).append(',');
            }
            out.append(" total ").append(Units.number(s.macs())).append('\n');
        }
        out.append("MACs at batch ").append(s.batch()).append(": ").append(Units.number(s.macs() * s.batch()))
                .append(" (").append(Units.count(s.macs() * s.batch())).append(")\n");
        out.append("Activations at batch ").append(s.batch()).append(": ").append(Units.bytes(s.activationBytes()))
                .append(" (every node's outputs; views share their input's memory)\n");
        out.append(thin);
        GraphSummary.Memory memory = s.memory();
        if (memory == null) {
            out.append("Training memory: no train block, so no execution plan to measure\n");
        } else {
            out.append("Peak training memory at batch ").append(memory.batch()).append(": ")
                    .append(Units.bytes(memory.allocatedBytes())).append(" (")
                    .append(Units.number(memory.allocatedBytes())).append(" bytes: ").append(memory.buffers())
                    .append(" buffers in ").append(memory.slots()).append(" slots; ")
                    .append(Units.bytes(memory.totalBytes())).append(" without reuse)\n");
            List<String> parts = new ArrayList<>();
            memory.bytesByRole().forEach((role, bytes) -> parts.add(role + " " + Units.bytes(bytes)));
            out.append("  by role, each buffer on its own: ").append(String.join(", ", parts)).append('\n');
            out.append("  activations+gradients: ").append(Units.bytes(memory.transientBytes())).append(" → ")
                    .append(Units.bytes(memory.transientAllocatedBytes()))
                    .append(" with reuse (buffers never alive at once share memory)\n");
            out.append("  The plan allocates every slot once, when it is loaded, and a training step allocates\n"
                    + "  nothing: the sum of the slots is the footprint, not an estimate of a peak.\n");
        }
    }

    private static String[] cells(boolean training, Phase phase, String... cells) {
        if (!training) {
            return cells;
        }
        String[] withPhase = new String[cells.length + 1];
        withPhase[0] = phase.label();
        System.arraycopy(cells, 0, withPhase, 1, cells.length);
        return withPhase;
    }

    private static int commonPrefix(List<String> a, List<String> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
            n++;
        }
        return n;
    }

    private static boolean startsWith(List<String> list, List<String> prefix) {
        return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
    }

    /** Columns two spaces apart; numbers right-aligned. Returns the width of the widest line. */
    private static int table(List<String[]> rows, boolean training, StringBuilder out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        int first = training ? 1 : 0;
        int widest = 0;
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String padding = " ".repeat(widths[c] - row[c].length());
                boolean right = c >= first + 3 && c <= first + 6;
                line.append(right ? padding + row[c] : row[c] + padding);
            }
            String text = line.toString().stripTrailing();
            widest = Math.max(widest, text.length());
            out.append(text).append('\n');
        }
        return widest;
    }
}
