package org.nnlang.runtime.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device code for convolutions and pooling, with the semantics of the CPU's reference kernels
 * ({@code kernels.Conv2d} and {@code kernels.Pooling}: NCHW, PyTorch's padding, stride, dilation and groups).
 *
 * <p>Every kernel is a direct one: one thread per element it writes, each summing its own window, so no two threads
 * write the same float and no atomics are needed. The input gradients are therefore <em>gathers</em>: a
 * {@code dx} element visits the outputs whose windows covered it, where the CPU scatters each {@code dy} into its
 * window. That is the simple, correct first version; faster ones (im2col + the tiled matrix product, local-memory
 * tiles) can replace a kernel here without touching the rest. The weight and bias gradients are the exception:
 * they are sums over the whole batch for only a few hundred or thousand outputs, too few threads for a GPU, so
 * they run as two-phase reductions ({@link Chunks}): {@link #convGradWeightChunks} or
 * {@link ReductionKernels#channelSumChunks} for partial sums over chunks of the batch, then
 * {@link ReductionKernels#sumChunks}.
 *
 * <p>A convolution has a dozen shape constants, more than a TornadoVM task takes comfortably next to its arrays, so
 * they travel as one small read-only {@link IntArray}, the <em>geometry</em> ({@link #geometry}), indexed by the
 * constants below and made once by {@link ConvLowering}. Pooling uses the same layout with
 * {@code OUT_CHANNELS = GROUPS = IN_CHANNELS}.
 *
 * <p>Like all device kernels, these are compiled for the plan's batch capacity ({@code total} threads) and read the
 * current batch size from {@code batch[0]}; threads past it do nothing.
 */
final class ConvKernels {
    static final int IN_CHANNELS = 0;
    static final int IN_HEIGHT = 1;
    static final int IN_WIDTH = 2;
    static final int OUT_CHANNELS = 3;
    static final int OUT_HEIGHT = 4;
    static final int OUT_WIDTH = 5;
    /** Side of the (square) kernel or pooling window. */
    static final int KERNEL = 6;
    static final int STRIDE = 7;
    static final int PADDING = 8;
    static final int DILATION = 9;
    static final int GROUPS = 10;
    /** Ints in a geometry array. */
    static final int GEOMETRY_SIZE = 11;

    private ConvKernels() {
    }

    /**
     * A geometry array for an input-side image {@code [C, H, W]} ({@code image}). It is read-only and no transfer
     * names it: TornadoVM then copies it to the device on the first run and keeps it there, which is right for a
     * shape that never changes while a plan is loaded. Host code, not a kernel.
     */
    static IntArray geometry(int[] image, int outChannels, int outHeight, int outWidth, int kernel, int stride,
                             int padding, int dilation, int groups) {
        IntArray g = new IntArray(GEOMETRY_SIZE);
        g.set(IN_CHANNELS, image[0]);
        g.set(IN_HEIGHT, image[1]);
        g.set(IN_WIDTH, image[2]);
        g.set(OUT_CHANNELS, outChannels);
        g.set(OUT_HEIGHT, outHeight);
        g.set(OUT_WIDTH, outWidth);
        g.set(KERNEL, kernel);
        g.set(STRIDE, stride);
        g.set(PADDING, padding);
        g.set(DILATION, dilation);
        g.set(GROUPS, groups);
        return g;
    }

    // ---- convolution ----

    /**
     * {@code y[s,o,oh,ow] = b[o] + Σ_{c,kh,kw} w[o,c,kh,kw]·x[s, g·C/G + c, oh·S − P + kh·D, ow·S − P + kw·D]}, one
     * thread per output element; positions outside the input read 0.
     */
    static void convForward(FloatArray x, FloatArray w, FloatArray bias, FloatArray y, IntArray geometry,
                            IntArray batch, int total, int hasBias) {
        for (@Parallel int k = 0; k < total; k++) {
            int inC = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outC = geometry.get(OUT_CHANNELS);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int kernel = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int dilation = geometry.get(DILATION);
            int groups = geometry.get(GROUPS);
            int outPlane = outH * outW;
            int outSize = outC * outPlane;
            if (k < batch.get(0) * outSize) {
                int s = k / outSize;
                int o = k % outSize / outPlane;
                int oh = k % outPlane / outW;
                int ow = k % outW;
                int inPerGroup = inC / groups;
                int firstIn = o / (outC / groups) * inPerGroup;
                float sum = hasBias == 1 ? bias.get(o) : 0f;
                for (int c = 0; c < inPerGroup; c++) {
                    int xPlane = (s * inC + firstIn + c) * inH * inW;
                    int wTaps = (o * inPerGroup + c) * kernel * kernel;
                    for (int kh = 0; kh < kernel; kh++) {
                        int ih = oh * stride - padding + kh * dilation;
                        if (ih >= 0 && ih < inH) {
                            for (int kw = 0; kw < kernel; kw++) {
                                int iw = ow * stride - padding + kw * dilation;
                                if (iw >= 0 && iw < inW) {
                                    sum += w.get(wTaps + kh * kernel + kw) * x.get(xPlane + ih * inW + iw);
                                }
                            }
                        }
                    }
                }
                y.set(k, sum);
            }
        }
    }

    /**
     * {@code dx[s, ci, ih, iw] = Σ dy[s,o,oh,ow]·w[o, c, kh, kw]} over the outputs {@code o} of {@code ci}'s group
     * and the taps that reached {@code (ih, iw)}: {@code oh·S − P + kh·D = ih}, i.e. {@code oh = (ih + P − kh·D) / S}
     * where that divides exactly and lands inside the output. One thread per {@code dx} element (a gather).
     */
    static void convGradInput(FloatArray dy, FloatArray w, FloatArray dx, IntArray geometry, IntArray batch,
                              int total) {
        for (@Parallel int k = 0; k < total; k++) {
            int inC = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outC = geometry.get(OUT_CHANNELS);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int kernel = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int dilation = geometry.get(DILATION);
            int groups = geometry.get(GROUPS);
            int inPlane = inH * inW;
            int inSize = inC * inPlane;
            if (k < batch.get(0) * inSize) {
                int s = k / inSize;
                int ci = k % inSize / inPlane;
                int ih = k % inPlane / inW;
                int iw = k % inW;
                int inPerGroup = inC / groups;
                int outPerGroup = outC / groups;
                int c = ci % inPerGroup;
                int firstOut = ci / inPerGroup * outPerGroup;
                float sum = 0f;
                for (int o = firstOut; o < firstOut + outPerGroup; o++) {
                    int dyPlane = (s * outC + o) * outH * outW;
                    int wTaps = (o * inPerGroup + c) * kernel * kernel;
                    for (int kh = 0; kh < kernel; kh++) {
                        int rowOffset = ih + padding - kh * dilation;
                        int oh = rowOffset / stride;
                        if (rowOffset >= 0 && oh * stride == rowOffset && oh < outH) {
                            for (int kw = 0; kw < kernel; kw++) {
                                int columnOffset = iw + padding - kw * dilation;
                                int ow = columnOffset / stride;
                                if (columnOffset >= 0 && ow * stride == columnOffset && ow < outW) {
                                    sum += dy.get(dyPlane + oh * outW + ow) * w.get(wTaps + kh * kernel + kw);
                                }
                            }
                        }
                    }
                }
                dx.set(k, sum);
            }
        }
    }

    /**
     * Phase 1 of {@code dw[o,c,kh,kw] = Σ_{s,oh,ow} dy[s,o,oh,ow]·x[s, g·C/G + c, ih, iw]} ({@link Chunks}). The sum
     * runs over the batch's output rows, row {@code r} being row {@code r % OH} of sample {@code r / OH}; work item
     * {@code i = j·count + k} adds weight {@code k}'s products over rows {@code [j·rowsPerChunk, (j+1)·rowsPerChunk)}
     * into {@code partials[i]} (0 for rows past the batch). Neighbouring work items are neighbouring taps of one
     * weight, so a warp reads neighbouring floats of x and one float of dy: the reads coalesce.
     * {@link ReductionKernels#sumChunks} then adds each weight's partials in chunk order.
     */
    static void convGradWeightChunks(FloatArray dy, FloatArray x, FloatArray partials, IntArray geometry,
                                     IntArray batch, int items, int count, int rowsPerChunk) {
        for (@Parallel int i = 0; i < items; i++) {
            int inC = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outC = geometry.get(OUT_CHANNELS);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int kernel = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int dilation = geometry.get(DILATION);
            int groups = geometry.get(GROUPS);
            int inPerGroup = inC / groups;
            int taps = kernel * kernel;
            int k = i % count;
            int o = k / (inPerGroup * taps);
            int c = k % (inPerGroup * taps) / taps;
            int kh = k % taps / kernel;
            int kw = k % kernel;
            int inputChannel = o / (outC / groups) * inPerGroup + c;
            int firstRow = i / count * rowsPerChunk;
            int endRow = TornadoMath.min(firstRow + rowsPerChunk, batch.get(0) * outH);
            float sum = 0f;
            for (int r = firstRow; r < endRow; r++) {
                int s = r / outH;
                int oh = r % outH;
                int ih = oh * stride - padding + kh * dilation;
                if (ih >= 0 && ih < inH) {
                    int xRow = ((s * inC + inputChannel) * inH + ih) * inW;
                    int dyRow = ((s * outC + o) * outH + oh) * outW;
                    for (int ow = 0; ow < outW; ow++) {
                        int iw = ow * stride - padding + kw * dilation;
                        if (iw >= 0 && iw < inW) {
                            sum += dy.get(dyRow + ow) * x.get(xRow + iw);
                        }
                    }
                }
            }
            partials.set(i, sum);
        }
    }

    // ---- pooling: each channel on its own; windows (oh, ow) start at (oh·S − P, ow·S − P) ----

    /**
     * Max over the window's real inputs (padding never wins), and where it came from: {@code indices} gets
     * {@code h·W + w} in the input plane, as a float, as on the CPU. Ties go to the first maximum in row-major order
     * (strict {@code >}). The running maximum starts at the window's first real input rather than at −∞: OpenCL
     * runs with {@code -cl-fast-relaxed-math}, which lets the compiler assume there are no infinities (nor NaNs, so
     * unlike the CPU a NaN does not win here).
     */
    static void maxPool(FloatArray x, FloatArray y, FloatArray indices, IntArray geometry, IntArray batch,
                        int total) {
        for (@Parallel int k = 0; k < total; k++) {
            int channels = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int window = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int outPlane = outH * outW;
            if (k < batch.get(0) * channels * outPlane) {
                int xPlane = k / outPlane * inH * inW;
                int hStart = k % outPlane / outW * stride - padding;
                int wStart = k % outW * stride - padding;
                int hFrom = TornadoMath.max(hStart, 0);
                int hTo = TornadoMath.min(hStart + window, inH);
                int wFrom = TornadoMath.max(wStart, 0);
                int wTo = TornadoMath.min(wStart + window, inW);
                int argmax = hFrom * inW + wFrom;
                float max = x.get(xPlane + argmax);
                for (int h = hFrom; h < hTo; h++) {
                    for (int w = wFrom; w < wTo; w++) {
                        float v = x.get(xPlane + h * inW + w);
                        if (v > max) {
                            max = v;
                            argmax = h * inW + w;
                        }
                    }
                }
                y.set(k, max);
                indices.set(k, argmax);
            }
        }
    }

    /**
     * {@code dx[s,c,i] = Σ dy[s,c,oh,ow]} over the windows that covered {@code i} and whose recorded maximum is
     * {@code i}: a gather, adding in the CPU's order (windows row-major).
     */
    static void maxPoolGrad(FloatArray dy, FloatArray indices, FloatArray dx, IntArray geometry, IntArray batch,
                            int total) {
        for (@Parallel int k = 0; k < total; k++) {
            int channels = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int window = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int inPlane = inH * inW;
            if (k < batch.get(0) * channels * inPlane) {
                int position = k % inPlane;
                int ih = position / inW;
                int iw = position % inW;
                int dyPlane = k / inPlane * outH * outW;
                float sum = 0f;
                for (int oh = firstWindow(ih, window, stride, padding); oh <= lastWindow(ih, stride, padding, outH);
                     oh++) {
                    for (int ow = firstWindow(iw, window, stride, padding);
                         ow <= lastWindow(iw, stride, padding, outW); ow++) {
                        int out = dyPlane + oh * outW + ow;
                        if ((int) indices.get(out) == position) {
                            sum += dy.get(out);
                        }
                    }
                }
                dx.set(k, sum);
            }
        }
    }

    /** {@code y = Σ window / K²}, padding counting as 0 and in the divisor ({@code count_include_pad}). */
    static void avgPool(FloatArray x, FloatArray y, IntArray geometry, IntArray batch, int total) {
        for (@Parallel int k = 0; k < total; k++) {
            int channels = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int window = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int outPlane = outH * outW;
            if (k < batch.get(0) * channels * outPlane) {
                int xPlane = k / outPlane * inH * inW;
                int hStart = k % outPlane / outW * stride - padding;
                int wStart = k % outW * stride - padding;
                int hTo = TornadoMath.min(hStart + window, inH);
                int wTo = TornadoMath.min(wStart + window, inW);
                float sum = 0f;
                for (int h = TornadoMath.max(hStart, 0); h < hTo; h++) {
                    for (int w = TornadoMath.max(wStart, 0); w < wTo; w++) {
                        sum += x.get(xPlane + h * inW + w);
                    }
                }
                y.set(k, sum / (window * window));
            }
        }
    }

    /** {@code dx[s,c,i] = Σ dy[s,c,oh,ow] / K²} over the windows that covered {@code i}: a gather. */
    static void avgPoolGrad(FloatArray dy, FloatArray dx, IntArray geometry, IntArray batch, int total) {
        for (@Parallel int k = 0; k < total; k++) {
            int channels = geometry.get(IN_CHANNELS);
            int inH = geometry.get(IN_HEIGHT);
            int inW = geometry.get(IN_WIDTH);
            int outH = geometry.get(OUT_HEIGHT);
            int outW = geometry.get(OUT_WIDTH);
            int window = geometry.get(KERNEL);
            int stride = geometry.get(STRIDE);
            int padding = geometry.get(PADDING);
            int inPlane = inH * inW;
            if (k < batch.get(0) * channels * inPlane) {
                int ih = k % inPlane / inW;
                int iw = k % inW;
                int dyPlane = k / inPlane * outH * outW;
                float divisor = window * window;
                float sum = 0f;
                for (int oh = firstWindow(ih, window, stride, padding); oh <= lastWindow(ih, stride, padding, outH);
                     oh++) {
                    for (int ow = firstWindow(iw, window, stride, padding);
                         ow <= lastWindow(iw, stride, padding, outW); ow++) {
                        sum += dy.get(dyPlane + oh * outW + ow) / divisor;
                    }
                }
                dx.set(k, sum);
            }
        }
    }

    /**
     * The first window along one axis that covers input {@code i}: the least {@code o ≥ 0} with
     * {@code o·S − P + K − 1 ≥ i}, i.e. {@code ⌈(i + P − K + 1) / S⌉}.
     */
    static int firstWindow(int i, int window, int stride, int padding) {
        int reach = i + padding - window + 1;
        return reach <= 0 ? 0 : (reach + stride - 1) / stride;
    }

    /** The last window along one axis that covers input {@code i}: {@code ⌊(i + P) / S⌋}, at most the last output. */
    static int lastWindow(int i, int stride, int padding, int outSize) {
        return TornadoMath.min((i + padding) / stride, outSize - 1);
    }

    /** {@code y[s,c] = mean of x[s,c,:,:]}, one thread per (sample, channel); {@code rows} = capacity × channels. */
    static void globalAvgPool(FloatArray x, FloatArray y, IntArray batch, int rows, int channels, int plane) {
        for (@Parallel int r = 0; r < rows; r++) {
            if (r < batch.get(0) * channels) {
                float sum = 0f;
                for (int p = 0; p < plane; p++) {
                    sum += x.get(r * plane + p);
                }
                y.set(r, sum / plane);
            }
        }
    }

    /** {@code dx[s,c,h,w] = dy[s,c] / (H·W)}, one thread per element of {@code dx}. */
    static void globalAvgPoolGrad(FloatArray dy, FloatArray dx, IntArray batch, int total, int channels, int plane) {
        for (@Parallel int k = 0; k < total; k++) {
            if (k < batch.get(0) * channels * plane) {
                dx.set(k, dy.get(k / plane) / plane);
            }
        }
    }
}
