package org.nnlang.compiler.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * Prints an execution plan as tables — the format of {@code nn inspect --dump plan} and of the golden tests: every
 * buffer (id, storage slot, name, role, shape, and the bytes it takes at a given batch size), then the training
 * schedule and the inference schedule, one kernel call a line with the buffers it reads and writes, its attributes
 * and the source it came from. Buffers with the same slot share memory (their lifetimes never overlap); the header
 * gives the bytes the slots take and what the buffers would take each on their own.
 * <pre>
 * plan SeedMlp: 31 buffers in 28 slots, 1,779,256 bytes at batch 32 (1,798,200 without reuse)
 *   id  slot  name            role       shape            bytes
 *    0     0  image           input      [N, 1, 28, 28]   100,352
 * training: 9 steps
 *    0  linear  image, linear1.weight, linear1.bias -> linear1  # seed-mlp.nn:10:5 linear(128)
 * </pre>
 * Buffers hold 32-bit floats; a batched buffer's shape starts with the batch dimension N.
 */
public final class PlanPrinter {
    private static final int BYTES_PER_FLOAT = Float.BYTES;

    private PlanPrinter() {
    }

    /** @param batch the batch size the byte counts are given for (the train block's {@code batch}) */
    public static String print(ExecutionPlan plan, int batch) {
        StringBuilder out = new StringBuilder();
        long total = plan.buffers().stream().mapToLong(b -> bytes(b, batch)).sum();
        long allocated = Arrays.stream(plan.slotCapacities(batch)).sum() * BYTES_PER_FLOAT;
        out.append("plan ").append(plan.modelName()).append(": ").append(plan.buffers().size()).append(" buffers in ")
                .append(plan.slotCount()).append(" slots, ").append(number(allocated)).append(" bytes at batch ")
                .append(batch).append(" (").append(number(total)).append(" without reuse)\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "slot", "name", "role", "shape", "bytes"});
        for (BufferSpec buffer : plan.buffers()) {
            rows.add(new String[] {String.valueOf(buffer.id()), String.valueOf(plan.slot(buffer.id())), buffer.name(),
                    buffer.role().name().toLowerCase(Locale.ROOT), buffer.shapeText(), number(bytes(buffer, batch))});
        }
        table(rows, new boolean[] {true, true, false, false, false, true}, out);
        steps("training", plan.trainingSteps(), plan, out);
        steps("inference", plan.inferenceSteps(), plan, out);
        return out.toString();
    }

    /** One step a line: its index and kernel in columns, then what it reads and writes, attributes and origin. */
    private static void steps(String schedule, List<StepSpec> steps, ExecutionPlan plan, StringBuilder out) {
        out.append(schedule).append(": ").append(steps.size()).append(steps.size() == 1 ? " step" : " steps")
                .append('\n');
        int indexWidth = String.valueOf(Math.max(0, steps.size() - 1)).length();
        int kernelWidth = steps.stream().mapToInt(s -> s.kernel().length()).max().orElse(0);
        for (int i = 0; i < steps.size(); i++) {
            StepSpec step = steps.get(i);
            String index = String.valueOf(i);
            out.append("  ").append(" ".repeat(indexWidth - index.length())).append(index).append("  ")
                    .append(step.kernel()).append(" ".repeat(kernelWidth - step.kernel().length())).append("  ")
                    .append(names(step.inputs(), plan)).append(" -> ").append(names(step.outputs(), plan));
            if (!step.attributes().isEmpty()) {
                out.append("  ").append(attributes(step.attributes()));
            }
            if (step.origin() != null && !step.origin().isEmpty()) {
                out.append("  # ").append(step.origin());
            }
            out.append('\n');
        }
    }

    private static String names(int[] ids, ExecutionPlan plan) {
        return Arrays.stream(ids).mapToObj(id -> plan.buffer(id).name()).collect(Collectors.joining(", "));
    }

    private static String attributes(Map<String, Object> attributes) {
        return attributes.isEmpty() ? "" : new TreeMap<>(attributes).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static long bytes(BufferSpec buffer, int batch) {
        return (long) buffer.capacity(batch) * BYTES_PER_FLOAT;
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Rows as columns two spaces apart, each indented by two; numbers right-aligned, text left-aligned. */
    private static void table(List<String[]> rows, boolean[] rightAligned, StringBuilder out) {
        int[] widths = new int[rightAligned.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                line.append("  ");
                String padding = " ".repeat(widths[c] - row[c].length());
                line.append(rightAligned[c] ? padding + row[c] : row[c] + padding);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
