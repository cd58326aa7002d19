package org.nnlang.runtime.tornado;

import java.util.Map;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.plan.StepSpec;

/**
 * Turns TornadoVM's exception for a task that failed to compile or run into an error naming the nnlang step and the
 * {@code .nn} line it came from. nnlang runs TornadoVM with {@code tornado.recover.bailout=False}, so such a task
 * stops the run instead of silently running as plain Java on the CPU while the report says "GPU".
 */
final class KernelFailure {
    private KernelFailure() {
    }

    static NnException explain(Throwable failure, Map<String, StepSpec> tasks, String device) {
        String text = messages(failure);
        for (Map.Entry<String, StepSpec> task : tasks.entrySet()) {
            if (text.contains(task.getKey())) {
                StepSpec step = task.getValue();
                return new NnException("TornadoVM could not run kernel '" + step.kernel() + "' (task " + task.getKey()
                        + ", from " + step.origin() + ") on " + device + ": " + firstLine(failure), failure);
            }
        }
        return new NnException("TornadoVM failed on " + device + ": " + firstLine(failure), failure);
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    private static String firstLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // TornadoVM colours its messages for terminals; the escape codes would garble ours.
        String message = String.valueOf(root.getMessage()).replaceAll("\u001b\\[[0-9;]*m", "");
        int newline = message.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
