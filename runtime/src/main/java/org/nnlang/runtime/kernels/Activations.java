package org.nnlang.runtime.kernels;

/**
 * Elementwise activations over flat arrays, on an element range {@code [from, to)}.
 *
 * <pre>
 *   relu:   y = max(x, 0)
 *   dx = dy  where y &gt; 0,  0 elsewhere
 * </pre>
 *
 * <p>The backward reads the forward's output {@code y}, not its input, as PyTorch's {@code threshold_backward}
 * does: the planner can then free {@code x} after the forward. At {@code x = 0} the gradient is 0 (PyTorch's
 * choice of subgradient). Allocation-free and stateless, so disjoint ranges may run on different threads.
 */
public final class Activations {
    private Activations() {
    }

    /** {@code y[k] = max(x[k], 0)} for {@code k} in {@code [from, to)}; NaN stays NaN, as in {@code torch.relu}. */
    public static void reluForward(float[] x, float[] y, int from, int to) {
        for (int k = from; k < to; k++) {
            y[k] = Math.max(x[k], 0f);
        }
    }

    /** {@code dx[k] = y[k] > 0 ? dy[k] : 0} for {@code k} in {@code [from, to)}, overwriting {@code dx}. */
    public static void reluBackward(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int k = from; k < to; k++) {
            dx[k] = y[k] > 0f ? dy[k] : 0f;
        }
    }
}
