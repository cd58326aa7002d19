package org.nnlang.runtime.tornado;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;

/**
 * How a schedule is cut into TornadoVM task graphs, and which buffers must then stay on the device between graphs
 * (see {@code TornadoExecutable.addSchedule}, which builds the graphs).
 */
final class Segments {
    private Segments() {
    }

    /** Consecutive runs of steps, each needing at most {@code tasksPerGraph} tasks (a step is never split). */
    static List<List<Integer>> cut(List<StepSpec> steps, int tasksPerGraph) {
        List<List<Integer>> segments = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int tasksInCurrent = 0;
        for (int i = 0; i < steps.size(); i++) {
            int needed = KernelLowering.mostTasks(steps.get(i));
            if (!current.isEmpty() && tasksInCurrent + needed > tasksPerGraph) {
                segments.add(current);
                current = new ArrayList<>();
                tasksInCurrent = 0;
            }
            current.add(i);
            tasksInCurrent += needed;
        }
        segments.add(current);
        return segments;
    }

    /**
     * The buffers every graph keeps on the device: the persistent ones, and any other buffer that steps in two
     * different segments of a schedule use (except what is sent with every batch).
     */
    static int[] shared(ExecutionPlan plan, int[] persistent, int[] everyStep, List<List<StepSpec>> schedules,
                        List<List<List<Integer>>> segmentations) {
        Set<Integer> ids = new TreeSet<>();
        for (int id : persistent) {
            ids.add(id);
        }
        Set<Integer> perStep = new HashSet<>();
        for (int id : everyStep) {
            perStep.add(id);
        }
        for (int k = 0; k < schedules.size(); k++) {
            int[] firstSegment = new int[plan.buffers().size()];
            Arrays.fill(firstSegment, -1);
            List<List<Integer>> segments = segmentations.get(k);
            for (int s = 0; s < segments.size(); s++) {
                for (int index : segments.get(s)) {
                    for (int id : touched(schedules.get(k).get(index))) {
                        if (firstSegment[id] < 0) {
                            firstSegment[id] = s;
                        } else if (firstSegment[id] != s && !perStep.contains(id)) {
                            ids.add(id);
                        }
                    }
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The buffers a step reads or writes. */
    static int[] touched(StepSpec step) {
        int[] in = step.inputs();
        int[] out = step.outputs();
        int[] all = Arrays.copyOf(in, in.length + out.length);
        System.arraycopy(out, 0, all, in.length, out.length);
        return all;
    }
}
