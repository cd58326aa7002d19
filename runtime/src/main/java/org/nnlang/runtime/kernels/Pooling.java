package org.nnlang.runtime.kernels;

import java.util.Arrays;

/**
 * Pooling over NCHW activations with PyTorch's semantics ({@code max_pool2d}, {@code avg_pool2d} with its defaults
 * {@code count_include_pad = True} and {@code ceil_mode = False}, and global average pooling). Input {@code x} is
 * {@code [n, C, H, W]}, output {@code y} is {@code [n, C, OH, OW]}, each channel pooled on its own.
 *
 * <p>With kernel {@code K}, stride {@code S} and padding {@code P} (the same on both sides), window
 * {@code (oh, ow)} covers rows {@code oh·SH − PH ... oh·SH − PH + KH − 1} (columns likewise):
 * <pre>
 *   OH = ⌊(H + 2·PH − KH) / SH⌋ + 1                               (OW likewise)
 *   max:     y[s,c,oh,ow] = max over the window of x, padding counting as −∞
 *            dx[s,c,i]    = Σ_{outputs whose argmax is i} dy[s,c,oh,ow]
 *   average: y[s,c,oh,ow] = (Σ over the window of x, padding counting as 0) / (KH·KW)
 *            dx[s,c,i]    = Σ_{windows containing i} dy[s,c,oh,ow] / (KH·KW)
 *   global:  y[s,c] = (1/(H·W)) Σ_{h,w} x[s,c,h,w]        dx[s,c,h,w] = dy[s,c] / (H·W)
 * </pre>
 * The average divides by the full window size even where the window hangs over the padding
 * ({@code count_include_pad}); without {@code ceil_mode} no window reaches past the padding, so that divisor is
 * always {@code KH·KW}.
 *
 * <p>The max forward records, for each output, where its maximum came from: the index {@code h·W + w} within
 * the input plane (what PyTorch returns with {@code return_indices = True}), stored as a float in an
 * {@code indices} buffer shaped like {@code y}, so the planner can allocate it like any other buffer; floats hold
 * these integers exactly while {@code H·W ≤ 2²⁴}. Ties go to the first maximum in row-major order, and a NaN wins
 * (the last NaN in the window), as in PyTorch's CPU kernel. The backward reads only these indices, not {@code x}.
 *
 * <p>Every method takes a range of batch samples {@code [sampleFrom, sampleTo)}, overwrites exactly those
 * samples of its output (and of {@code indices}), allocates nothing and keeps no state.
 */
public final class Pooling {
    private Pooling() {
    }

    /** The shape constants of one pooling, checked once when the executor binds the step. */
    public record Geometry(int channels, int inHeight, int inWidth, int kernelHeight, int kernelWidth,
                           int strideHeight, int strideWidth, int padHeight, int padWidth) {
        /**
         * @throws IllegalArgumentException if a size is not positive, or a padding is negative or more than half
         *                                  the kernel (PyTorch's limit, which guarantees every window holds at
         *                                  least one real input)
         */
        public Geometry {
            if (channels <= 0 || inHeight <= 0 || inWidth <= 0 || kernelHeight <= 0 || kernelWidth <= 0
                    || strideHeight <= 0 || strideWidth <= 0) {
                throw new IllegalArgumentException("pooling sizes must be positive: channels " + channels
                        + ", input " + inHeight + "×" + inWidth + ", kernel " + kernelHeight + "×" + kernelWidth
                        + ", stride " + strideHeight + "×" + strideWidth);
            }
            if (padHeight < 0 || padWidth < 0 || padHeight > kernelHeight / 2 || padWidth > kernelWidth / 2) {
                throw new IllegalArgumentException("pooling padding " + padHeight + "×" + padWidth
                        + " must be between 0 and half the " + kernelHeight + "×" + kernelWidth + " kernel");
            }
            if (inHeight + 2 * padHeight < kernelHeight || inWidth + 2 * padWidth < kernelWidth) {
                throw new IllegalArgumentException("the " + kernelHeight + "×" + kernelWidth
                        + " pooling window is larger than the padded " + inHeight + "×" + inWidth + " input");
            }
        }

        /** A square window with the same stride and padding along both axes. */
        public static Geometry square(int channels, int inHeight, int inWidth, int kernel, int stride, int padding) {
            return new Geometry(channels, inHeight, inWidth, kernel, kernel, stride, stride, padding, padding);
        }

        /** {@code OH = ⌊(H + 2·PH − KH) / SH⌋ + 1}. */
        public int outHeight() {
            return (inHeight + 2 * padHeight - kernelHeight) / strideHeight + 1;
        }

        /** {@code OW = ⌊(W + 2·PW − KW) / SW⌋ + 1}. */
        public int outWidth() {
            return (inWidth + 2 * padWidth - kernelWidth) / strideWidth + 1;
        }

        /** Floats per sample of the input, {@code C·H·W}. */
        public int inputSize() {
            return channels * inHeight * inWidth;
        }

        /** Floats per sample of the output (and of the max-pool indices), {@code C·OH·OW}. */
        public int outputSize() {
            return channels * outHeight() * outWidth();
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of the max pooling {@code y}, overwriting them and the same entries
     * of {@code indices} (shaped like {@code y}), which receive the argmax's index {@code h·W + w} in its plane.
     */
    public static void maxPool2dForward(float[] x, float[] y, float[] indices, Geometry g,
                                        int sampleFrom, int sampleTo) {
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int inPlane = inH * inW;
        final int outPlane = outH * outW;
        for (int plane = sampleFrom * g.channels(); plane < sampleTo * g.channels(); plane++) {
            int xPlane = plane * inPlane;
            int out = plane * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                int hStart = oh * g.strideHeight() - g.padHeight();
                int hFrom = Math.max(hStart, 0);
                int hTo = Math.min(hStart + g.kernelHeight(), inH);
                for (int ow = 0; ow < outW; ow++, out++) {
                    int wStart = ow * g.strideWidth() - g.padWidth();
                    int wFrom = Math.max(wStart, 0);
                    int wTo = Math.min(wStart + g.kernelWidth(), inW);
                    // Padding is −∞, so only real inputs compete; starting from the window's first real input
                    // means a window of −∞ reports that position, as PyTorch does.
                    float max = Float.NEGATIVE_INFINITY;
                    int argmax = hFrom * inW + wFrom;
                    for (int h = hFrom; h < hTo; h++) {
                        for (int w = wFrom; w < wTo; w++) {
                            float v = x[xPlane + h * inW + w];
                            if (v > max || Float.isNaN(v)) {
                                max = v;
                                argmax = h * inW + w;
                            }
                        }
                    }
                    y[out] = max;
                    indices[out] = argmax;
                }
            }
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of {@code dx}, overwriting them: each {@code dy} entry is added to
     * the input position its {@code indices} entry names (windows may overlap, so one input can collect several).
     */
    public static void maxPool2dBackward(float[] dy, float[] indices, float[] dx, Geometry g,
                                         int sampleFrom, int sampleTo) {
        final int inPlane = g.inHeight() * g.inWidth();
        final int outPlane = g.outHeight() * g.outWidth();
        Arrays.fill(dx, sampleFrom * g.channels() * inPlane, sampleTo * g.channels() * inPlane, 0f);
        for (int plane = sampleFrom * g.channels(); plane < sampleTo * g.channels(); plane++) {
            int dxPlane = plane * inPlane;
            int out = plane * outPlane;
            for (int k = 0; k < outPlane; k++) {
                dx[dxPlane + (int) indices[out + k]] += dy[out + k];
            }
        }
    }

    /** Samples {@code [sampleFrom, sampleTo)} of the average pooling {@code y}, overwriting them. */
    public static void avgPool2dForward(float[] x, float[] y, Geometry g, int sampleFrom, int sampleTo) {
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int inPlane = inH * inW;
        final int outPlane = outH * outW;
        final float divisor = g.kernelHeight() * g.kernelWidth();
        for (int plane = sampleFrom * g.channels(); plane < sampleTo * g.channels(); plane++) {
            int xPlane = plane * inPlane;
            int out = plane * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                int hStart = oh * g.strideHeight() - g.padHeight();
                int hFrom = Math.max(hStart, 0);
                int hTo = Math.min(hStart + g.kernelHeight(), inH);
                for (int ow = 0; ow < outW; ow++, out++) {
                    int wStart = ow * g.strideWidth() - g.padWidth();
                    int wFrom = Math.max(wStart, 0);
                    int wTo = Math.min(wStart + g.kernelWidth(), inW);
                    float sum = 0f;
                    for (int h = hFrom; h < hTo; h++) {
                        for (int w = wFrom; w < wTo; w++) {
                            sum += x[xPlane + h * inW + w];
                        }
                    }
                    y[out] = sum / divisor;
                }
            }
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of {@code dx}, overwriting them: each {@code dy / (KH·KW)} is added
     * to every real input of its window.
     */
    public static void avgPool2dBackward(float[] dy, float[] dx, Geometry g, int sampleFrom, int sampleTo) {
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int inPlane = inH * inW;
        final int outPlane = outH * outW;
        final float divisor = g.kernelHeight() * g.kernelWidth();
        Arrays.fill(dx, sampleFrom * g.channels() * inPlane, sampleTo * g.channels() * inPlane, 0f);
        for (int plane = sampleFrom * g.channels(); plane < sampleTo * g.channels(); plane++) {
            int dxPlane = plane * inPlane;
            int out = plane * outPlane;
            for (int oh = 0; oh < outH; oh++) {
                int hStart = oh * g.strideHeight() - g.padHeight();
                int hFrom = Math.max(hStart, 0);
                int hTo = Math.min(hStart + g.kernelHeight(), inH);
                for (int ow = 0; ow < outW; ow++, out++) {
                    int wStart = ow * g.strideWidth() - g.padWidth();
                    int wFrom = Math.max(wStart, 0);
                    int wTo = Math.min(wStart + g.kernelWidth(), inW);
                    float share = dy[out] / divisor;
                    for (int h = hFrom; h < hTo; h++) {
                        for (int w = wFrom; w < wTo; w++) {
                            dx[dxPlane + h * inW + w] += share;
                        }
                    }
                }
            }
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of {@code y[s,c] = mean of x[s,c,:,:]} ({@code x: [n, C, H, W]},
     * {@code y: [n, C]}, {@code plane = H·W}), summed in double, overwriting them.
     */
    public static void globalAvgPoolForward(float[] x, float[] y, int channels, int plane,
                                            int sampleFrom, int sampleTo) {
        for (int row = sampleFrom * channels; row < sampleTo * channels; row++) {
            int xPlane = row * plane;
            double sum = 0;
            for (int k = 0; k < plane; k++) {
                sum += x[xPlane + k];
            }
            y[row] = (float) (sum / plane);
        }
    }

    /** Samples {@code [sampleFrom, sampleTo)} of {@code dx[s,c,h,w] = dy[s,c] / (H·W)}, overwriting them. */
    public static void globalAvgPoolBackward(float[] dy, float[] dx, int channels, int plane,
                                             int sampleFrom, int sampleTo) {
        for (int row = sampleFrom * channels; row < sampleTo * channels; row++) {
            float share = dy[row] / plane;
            int dxPlane = row * plane;
            Arrays.fill(dx, dxPlane, dxPlane + plane, share);
        }
    }
}
