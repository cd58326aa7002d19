package org.nnlang.runtime.kernels;

/**
 * Fully connected layer with PyTorch's {@code nn.Linear} layout: weight {@code w} is {@code [out, in]},
 * input {@code x} is {@code [n, in]}, output {@code y} is {@code [n, out]}, all row-major and batch-first.
 *
 * <pre>
 *   forward:  y[r,o]  = b[o] + Σ_i x[r,i] · w[o,i]          (y = x·wᵀ + b)
 *   dx[r,i]  = Σ_o dy[r,o] · w[o,i]                          (dx = dy·w)
 *   dw[o,i]  = Σ_r dy[r,o] · x[r,i]                          (dw = dyᵀ·x)
 *   db[o]    = Σ_r dy[r,o]
 * </pre>
 *
 * <p>Every inner loop is written in saxpy form, {@code c[j] += a * b[j]} over contiguous memory, because that
 * is the shape HotSpot's C2 auto-vectorizes; a float dot product is a reduction whose strict summation order
 * keeps it scalar. The backward kernels get that form for free from the {@code [out, in]} layout. The forward
 * does not: its reduction runs along a row of {@code w}. So the fast forward, {@link #forwardTransposed}, reads
 * a transposed copy {@code wT} ({@code [in, out]}) that the executor refreshes once per training step with
 * {@link #transposeWeight} (after the optimizer has changed {@code w}, before the first forward).
 * {@link #forward} needs no copy and is kept as the straightforward reference; both give the same sums up to
 * float rounding order.
 *
 * <p>All methods write a caller-chosen range of their output and nothing else, allocate nothing and keep no
 * state, so two threads may run the same kernel on disjoint ranges.
 */
public final class Linear {
    private Linear() {
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of {@code y = x·wᵀ + b} using dot products over rows of {@code w}.
     *
     * @param b bias of length {@code out}, or {@code null} for a layer without bias
     */
    public static void forward(float[] x, float[] w, float[] b, float[] y, int in, int out, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int xRow = r * in;
            int yRow = r * out;
            for (int o = 0; o < out; o++) {
                int wRow = o * in;
                float sum = 0f;
                for (int i = 0; i < in; i++) {
                    sum += x[xRow + i] * w[wRow + i];
                }
                y[yRow + o] = b == null ? sum : sum + b[o];
            }
        }
    }

    /**
     * Writes {@code wT[i,o] = w[o,i]}: the {@code [in, out]} copy that {@link #forwardTransposed} reads.
     * {@code wT} must hold at least {@code in * out} floats.
     */
    public static void transposeWeight(float[] w, float[] wT, int in, int out) {
        for (int o = 0; o < out; o++) {
            int wRow = o * in;
            for (int i = 0; i < in; i++) {
                wT[i * out + o] = w[wRow + i];
            }
        }
    }

    /**
     * Rows {@code [rowFrom, rowTo)} of {@code y = x·wᵀ + b}, reading the transposed weight {@code wT}
     * ({@code [in, out]}, from {@link #transposeWeight}): each output row starts as the bias and accumulates
     * {@code x[r,i] · wT[i,:]}, a contiguous saxpy the JIT vectorizes.
     *
     * @param b bias of length {@code out}, or {@code null} for a layer without bias
     */
    public static void forwardTransposed(float[] x, float[] wT, float[] b, float[] y, int in, int out,
                                         int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int xRow = r * in;
            int yRow = r * out;
            if (b == null) {
                for (int o = 0; o < out; o++) {
                    y[yRow + o] = 0f;
                }
            } else {
                System.arraycopy(b, 0, y, yRow, out);
            }
            for (int i = 0; i < in; i++) {
                float a = x[xRow + i];
                int wtRow = i * out;
                for (int o = 0; o < out; o++) {
                    y[yRow + o] += a * wT[wtRow + o];
                }
            }
        }
    }

    /** Rows {@code [rowFrom, rowTo)} of {@code dx = dy·w}, overwriting them: {@code dx[r,:] = Σ_o dy[r,o]·w[o,:]}. */
    public static void backwardInput(float[] dy, float[] w, float[] dx, int in, int out, int rowFrom, int rowTo) {
        for (int r = rowFrom; r < rowTo; r++) {
            int dxRow = r * in;
            int dyRow = r * out;
            for (int i = 0; i < in; i++) {
                dx[dxRow + i] = 0f;
            }
            for (int o = 0; o < out; o++) {
                float a = dy[dyRow + o];
                int wRow = o * in;
                for (int i = 0; i < in; i++) {
                    dx[dxRow + i] += a * w[wRow + i];
                }
            }
        }
    }

    /**
     * Rows {@code [outFrom, outTo)} of {@code dw = dyᵀ·x}, summed over all {@code n} batch rows and overwriting
     * (not accumulating into) {@code dw}: {@code dw[o,:] = Σ_r dy[r,o]·x[r,:]}. Splitting by output row rather
     * than by batch row lets two threads work without sharing a sum.
     */
    public static void backwardWeight(float[] dy, float[] x, float[] dw, int n, int in, int out,
                                      int outFrom, int outTo) {
        for (int o = outFrom; o < outTo; o++) {
            int dwRow = o * in;
            for (int i = 0; i < in; i++) {
                dw[dwRow + i] = 0f;
            }
            for (int r = 0; r < n; r++) {
                float a = dy[r * out + o];
                int xRow = r * in;
                for (int i = 0; i < in; i++) {
                    dw[dwRow + i] += a * x[xRow + i];
                }
            }
        }
    }

    /** Entries {@code [outFrom, outTo)} of {@code db = Σ_r dy[r,:]}, overwriting them. */
    public static void backwardBias(float[] dy, float[] db, int n, int out, int outFrom, int outTo) {
        for (int o = outFrom; o < outTo; o++) {
            db[o] = 0f;
        }
        // Row by row so the inner loop walks contiguous memory.
        for (int r = 0; r < n; r++) {
            int dyRow = r * out;
            for (int o = outFrom; o < outTo; o++) {
                db[o] += dy[dyRow + o];
            }
        }
    }
}
