package org.nnlang.runtime.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device code for the layers an MLP needs: matrix products, activations, the cross-entropy loss and the optimizers.
 * TornadoVM compiles each method to an OpenCL (or PTX, SPIR-V) kernel the first time its task graph runs.
 *
 * <p>Rules of device code, which is why these look unlike the CPU kernels: static methods over TornadoVM's off-heap
 * arrays and primitives, no allocation, no exceptions, no strings. Kernels are compiled for the plan's batch
 * capacity and read the current batch size from {@code batch[0]}: threads past it do nothing. {@code @Parallel}
 * loops become one thread per iteration; a method without one runs as a single thread (used for short
 * reductions that must add in a fixed order). The matrix products use {@link KernelContext} for
 * {@link #TILE} × {@link #TILE} tiles in local memory, the classic shared-memory matrix multiply: each work group
 * loads a tile of each operand once and every thread of the group reuses it {@link #TILE} times.
 */
final class DeviceKernels {
    /** Side of a matrix-product tile, and of its work group. */
    static final int TILE = 16;
    /** Floats {@link #adamPrepare} writes: −lr/(1−β1ᵗ), √(1−β2ᵗ), lr. */
    static final int ADAM_SCALARS = 3;

    private DeviceKernels() {
    }

    /**
     * Reads and writes back one element of each array: gives TornadoVM a task that uses the arrays, so that a graph
     * made only to move data moves them (TornadoVM copies an array back to the host only after a task that writes it).
     */
    static void touch8(FloatArray a, FloatArray b, FloatArray c, FloatArray d, FloatArray e, FloatArray f,
                       FloatArray g, FloatArray h) {
        a.set(0, a.get(0));
        b.set(0, b.get(0));
        c.set(0, c.get(0));
        d.set(0, d.get(0));
        e.set(0, e.get(0));
        f.set(0, f.get(0));
        g.set(0, g.get(0));
        h.set(0, h.get(0));
    }

    /** {@code y[r, o] = Σ_i x[r, i]·w[o, i] (+ bias[o])}: grid x over outputs {@code o}, y over samples {@code r}. */
    static void linearForward(KernelContext ctx, FloatArray x, FloatArray w, FloatArray bias, FloatArray y,
                              IntArray batch, int in, int out, int hasBias) {
        int lx = ctx.localIdx;
        int ly = ctx.localIdy;
        int col = ctx.globalIdx;
        int row = ctx.globalIdy;
        int firstCol = col - lx;
        int rows = batch.get(0);
        float[] xTile = ctx.allocateFloatLocalArray(256);
        float[] wTile = ctx.allocateFloatLocalArray(256);
        float sum = 0f;
        for (int t = 0; t < in; t += TILE) {
            int i = t + lx;
            int o = firstCol + ly;
            xTile[ly * TILE + lx] = row < rows && i < in ? x.get(row * in + i) : 0f;
            wTile[ly * TILE + lx] = o < out && i < in ? w.get(o * in + i) : 0f;
            ctx.localBarrier();
            for (int q = 0; q < TILE; q++) {
                sum += xTile[ly * TILE + q] * wTile[lx * TILE + q];
            }
            ctx.localBarrier();
        }
        if (row < rows && col < out) {
            y.set(row * out + col, hasBias == 1 ? sum + bias.get(col) : sum);
        }
    }

    /** {@code dx[r, i] = Σ_o dy[r, o]·w[o, i]}: grid x over inputs {@code i}, y over samples {@code r}. */
    static void linearGradInput(KernelContext ctx, FloatArray dy, FloatArray w, FloatArray dx, IntArray batch,
                                int in, int out) {
        int lx = ctx.localIdx;
        int ly = ctx.localIdy;
        int col = ctx.globalIdx;
        int row = ctx.globalIdy;
        int rows = batch.get(0);
        float[] dyTile = ctx.allocateFloatLocalArray(256);
        float[] wTile = ctx.allocateFloatLocalArray(256);
        float sum = 0f;
        for (int t = 0; t < out; t += TILE) {
            int o = t + lx;
            int o2 = t + ly;
            dyTile[ly * TILE + lx] = row < rows && o < out ? dy.get(row * out + o) : 0f;
            wTile[ly * TILE + lx] = o2 < out && col < in ? w.get(o2 * in + col) : 0f;
            ctx.localBarrier();
            for (int q = 0; q < TILE; q++) {
                sum += dyTile[ly * TILE + q] * wTile[q * TILE + lx];
            }
            ctx.localBarrier();
        }
        if (row < rows && col < in) {
            dx.set(row * in + col, sum);
        }
    }

    /** {@code dw[o, i] = Σ_r dy[r, o]·x[r, i]} over the batch: grid x over inputs {@code i}, y over outputs. */
    static void linearGradWeight(KernelContext ctx, FloatArray dy, FloatArray x, FloatArray dw, IntArray batch,
                                 int in, int out) {
        int lx = ctx.localIdx;
        int ly = ctx.localIdy;
        int col = ctx.globalIdx;
        int o = ctx.globalIdy;
        int rows = batch.get(0);
        float[] dyTile = ctx.allocateFloatLocalArray(256);
        float[] xTile = ctx.allocateFloatLocalArray(256);
        float sum = 0f;
        for (int t = 0; t < rows; t += TILE) {
            int r = t + lx;
            int r2 = t + ly;
            dyTile[ly * TILE + lx] = r < rows && o < out ? dy.get(r * out + o) : 0f;
            xTile[ly * TILE + lx] = r2 < rows && col < in ? x.get(r2 * in + col) : 0f;
            ctx.localBarrier();
            for (int q = 0; q < TILE; q++) {
                sum += dyTile[ly * TILE + q] * xTile[q * TILE + lx];
            }
            ctx.localBarrier();
        }
        if (o < out && col < in) {
            dw.set(o * in + col, sum);
        }
    }

    /** {@code db[o] = Σ_r dy[r, o]}, one thread per output summing the batch in order. */
    static void linearGradBias(FloatArray dy, FloatArray db, IntArray batch, int rowsCapacity, int out) {
        for (@Parallel int o = 0; o < out; o++) {
            int rows = batch.get(0);
            float sum = 0f;
            for (int r = 0; r < rows; r++) {
                sum += dy.get(r * out + o);
            }
            db.set(o, sum);
        }
    }

    /**
     * {@code y = f(x)} element-wise ({@link Activation}); {@code perSample == 0} means an unbatched buffer, taken
     * whole.
     */
    static void activation(FloatArray x, FloatArray y, IntArray batch, int capacity, int perSample, int kind) {
        for (@Parallel int k = 0; k < capacity; k++) {
            int count = perSample == 0 ? capacity : batch.get(0) * perSample;
            if (k < count) {
                y.set(k, Activation.forward(kind, x.get(k)));
            }
        }
    }

    /** {@code dx = f'(…)·dy} element-wise, from what the forward kept ({@link Activation#backward}). */
    static void activationGrad(FloatArray saved, FloatArray dy, FloatArray dx, IntArray batch, int capacity,
                               int perSample, int kind) {
        for (@Parallel int k = 0; k < capacity; k++) {
            int count = perSample == 0 ? capacity : batch.get(0) * perSample;
            if (k < count) {
                dx.set(k, Activation.backward(kind, saved.get(k), dy.get(k)));
            }
        }
    }

    /**
     * Per row: {@code probs = softmax(logits)} and the row's loss {@code log Σ e^(z−m) − (z_label − m)}. The mean
     * over rows is {@link #meanOfRows}, a separate task so that it adds the rows in order.
     */
    static void softmaxCrossEntropyRows(FloatArray logits, FloatArray labels, FloatArray probs, FloatArray rowLoss,
                                        IntArray batch, int rows, int classes) {
        for (@Parallel int r = 0; r < rows; r++) {
            if (r < batch.get(0)) {
                int row = r * classes;
                float max = logits.get(row);
                for (int c = 1; c < classes; c++) {
                    max = TornadoMath.max(max, logits.get(row + c));
                }
                float sum = 0f;
                for (int c = 0; c < classes; c++) {
                    float e = TornadoMath.exp(logits.get(row + c) - max);
                    probs.set(row + c, e);
                    sum += e;
                }
                for (int c = 0; c < classes; c++) {
                    probs.set(row + c, probs.get(row + c) / sum);
                }
                int label = (int) labels.get(r);
                rowLoss.set(r, TornadoMath.log(sum) - (logits.get(row + label) - max));
            }
        }
    }

    /** {@code out[0] = mean of values[0 .. batch)}: one thread, in order. */
    static void meanOfRows(FloatArray values, FloatArray out, IntArray batch) {
        int n = batch.get(0);
        float sum = 0f;
        for (int r = 0; r < n; r++) {
            sum += values.get(r);
        }
        out.set(0, sum / n);
    }

    /** {@code dlogits = (probs − onehot(labels)) / n}. */
    static void softmaxCrossEntropyGrad(FloatArray probs, FloatArray labels, FloatArray dlogits, IntArray batch,
                                        int rows, int classes) {
        for (@Parallel int r = 0; r < rows; r++) {
            int n = batch.get(0);
            if (r < n) {
                int label = (int) labels.get(r);
                for (int c = 0; c < classes; c++) {
                    float p = probs.get(r * classes + c);
                    dlogits.set(r * classes + c, c == label ? (p - 1f) / n : p / n);
                }
            }
        }
    }

    /**
     * Advances Adam's step counter and works out the step's scalars (PyTorch's bias corrections), once per
     * parameter per step, so the update below is pure element-wise work. In float: the CPU does this in double, so
     * the two differ by float rounding of {@code 1 − βᵗ}.
     */
    static void adamPrepare(FloatArray stepCounter, FloatArray learningRate, FloatArray scalars, float beta1,
                            float beta2) {
        float step = stepCounter.get(0) + 1f;
        stepCounter.set(0, step);
        float lr = learningRate.get(0);
        scalars.set(0, -(lr / (1f - TornadoMath.pow(beta1, step))));
        scalars.set(1, TornadoMath.sqrt(1f - TornadoMath.pow(beta2, step)));
        scalars.set(2, lr);
    }

    /** One Adam (or AdamW, {@code decoupled == 1}) step, element-wise; see the CPU's {@code optim.Adam}. */
    static void adamUpdate(FloatArray param, FloatArray grad, FloatArray m, FloatArray v, FloatArray scalars,
                           int count, float beta1, float beta2, float eps, float weightDecay, int decoupled) {
        for (@Parallel int k = 0; k < count; k++) {
            float negStepSize = scalars.get(0);
            float biasCorrection2Sqrt = scalars.get(1);
            float lr = scalars.get(2);
            float p = param.get(k);
            if (decoupled == 1 && weightDecay != 0f) {
                p = p * (1f - lr * weightDecay);
            }
            float g = grad.get(k);
            if (decoupled == 0 && weightDecay != 0f) {
                g = g + weightDecay * p;
            }
            float mk = m.get(k) * beta1 + (1f - beta1) * g;
            float vk = v.get(k) * beta2 + (1f - beta2) * g * g;
            m.set(k, mk);
            v.set(k, vk);
            float denom = TornadoMath.sqrt(vk) / biasCorrection2Sqrt + eps;
            param.set(k, p + negStepSize * mk / denom);
        }
    }

    /** SGD's step counter: {@code firstStep[0] = 1} before the first step (the momentum buffer is then set). */
    static void sgdPrepare(FloatArray stepCounter, FloatArray firstStep, int hasMomentum) {
        if (hasMomentum == 1) {
            float step = stepCounter.get(0);
            firstStep.set(0, step == 0f ? 1f : 0f);
            stepCounter.set(0, step + 1f);
        }
    }

    /** One SGD step with optional momentum, dampening, Nesterov and weight decay; see the CPU's {@code optim.Sgd}. */
    static void sgdUpdate(FloatArray param, FloatArray grad, FloatArray learningRate, FloatArray momentumBuffer,
                          FloatArray firstStep, int count, float momentum, float dampening, int nesterov,
                          float weightDecay) {
        for (@Parallel int k = 0; k < count; k++) {
            float lr = learningRate.get(0);
            float p = param.get(k);
            float d = weightDecay == 0f ? grad.get(k) : grad.get(k) + weightDecay * p;
            if (momentum != 0f) {
                float b = firstStep.get(0) == 1f ? d : momentumBuffer.get(k) * momentum + (1f - dampening) * d;
                momentumBuffer.set(k, b);
                d = nesterov == 1 ? d + momentum * b : b;
            }
            param.set(k, p - lr * d);
        }
    }
}
