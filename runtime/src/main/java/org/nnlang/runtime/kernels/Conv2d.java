package org.nnlang.runtime.kernels;

import java.util.Arrays;

/**
 * Two-dimensional convolution with PyTorch's {@code nn.Conv2d} semantics (strictly a cross-correlation: the kernel
 * is not flipped). Activations are NCHW and row-major: input {@code x} is {@code [n, C, H, W]}, output {@code y} is
 * {@code [n, O, OH, OW]}; the weight {@code w} is {@code [O, C/groups, KH, KW]} and the bias {@code b} is {@code [O]}.
 *
 * <p>With stride {@code s}, zero padding {@code p} (the same on both sides, PyTorch's integer padding), dilation
 * {@code d} and {@code G} groups, output channel {@code o} belongs to group {@code g = o / (O/G)} and sees only
 * that group's input channels {@code g·C/G + c}, {@code c < C/G}:
 * <pre>
 *   OH = ⌊(H + 2·pH − dH·(KH − 1) − 1) / sH⌋ + 1            (OW likewise)
 *   ih = oh·sH − pH + kh·dH        iw = ow·sW − pW + kw·dW     (positions outside the input read 0)
 *
 *   y[s,o,oh,ow]   = b[o] + Σ_{c,kh,kw} w[o,c,kh,kw] · x[s, g·C/G + c, ih, iw]
 *   dx[s,g·C/G+c,ih,iw] = Σ_{o in g, kh, kw, oh, ow : positions meet} dy[s,o,oh,ow] · w[o,c,kh,kw]
 *   dw[o,c,kh,kw]  = Σ_{s,oh,ow} dy[s,o,oh,ow] · x[s, g·C/G + c, ih, iw]        (summed over the batch)
 *   db[o]          = Σ_{s,oh,ow} dy[s,o,oh,ow]
 * </pre>
 * A depthwise convolution is {@code G = C} with {@code O = C·multiplier}: each output channel then reads exactly
 * one input channel, {@code o / multiplier}.
 *
 * <p>This is the reference kernel: direct loops, no im2col. For one (output channel, input channel, kernel tap)
 * the weight is a single number and the tap touches a rectangle of outputs, so the innermost loop is a saxpy
 * along an output row, {@code y[oh, ow] += w · x[ih, ow·sW + const]}, with its own unit-stride loop for
 * {@code sW = 1} (measurably faster than the strided one; it is still not the shape C2 vectorizes, which is
 * left to the fast variants). The rows and columns a tap can reach without leaving the input are computed once
 * per tap, so padding costs no per-element test. The same loop nest serves plain, grouped and depthwise
 * convolutions: it never builds per-group matrices, so a depthwise layer costs {@code KH·KW} short saxpys per
 * output row. The weight gradient is a reduction over the batch and is summed in double.
 *
 * <p>Ranges: the forward and the input gradient take a range of batch samples {@code [sampleFrom, sampleTo)};
 * the weight and bias gradients take a range of output channels {@code [outFrom, outTo)}, so that two threads
 * never add into the same entries. Every method overwrites exactly its range of its output, allocates nothing
 * and keeps no state.
 */
public final class Conv2d {
    private Conv2d() {
    }

    /**
     * The shape constants of one convolution, checked once when the executor binds the step, so that each call
     * passes one object instead of thirteen integers (it allocates nothing per call).
     */
    public record Geometry(int inChannels, int inHeight, int inWidth, int outChannels,
                           int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                           int padHeight, int padWidth, int dilationHeight, int dilationWidth, int groups) {
        /**
         * @throws IllegalArgumentException if a size is not positive, a padding is negative, the channels do not
         *                                  split into the groups, or the dilated kernel does not fit the padded
         *                                  input
         */
        public Geometry {
            requirePositive("inChannels", inChannels);
            requirePositive("inHeight", inHeight);
            requirePositive("inWidth", inWidth);
            requirePositive("outChannels", outChannels);
            requirePositive("kernelHeight", kernelHeight);
            requirePositive("kernelWidth", kernelWidth);
            requirePositive("strideHeight", strideHeight);
            requirePositive("strideWidth", strideWidth);
            requirePositive("dilationHeight", dilationHeight);
            requirePositive("dilationWidth", dilationWidth);
            requirePositive("groups", groups);
            if (padHeight < 0 || padWidth < 0) {
                throw new IllegalArgumentException("padding must not be negative, got " + padHeight + "×" + padWidth);
            }
            if (inChannels % groups != 0 || outChannels % groups != 0) {
                throw new IllegalArgumentException("groups = " + groups + " must divide both the input channels ("
                        + inChannels + ") and the output channels (" + outChannels + ")");
            }
            if (inHeight + 2 * padHeight < dilationHeight * (kernelHeight - 1) + 1
                    || inWidth + 2 * padWidth < dilationWidth * (kernelWidth - 1) + 1) {
                throw new IllegalArgumentException("the " + kernelHeight + "×" + kernelWidth + " kernel (dilation "
                        + dilationHeight + "×" + dilationWidth + ") is larger than the padded " + inHeight + "×"
                        + inWidth + " input (padding " + padHeight + "×" + padWidth + ")");
            }
        }

        /** A square kernel with the same stride, padding and dilation along both axes. */
        public static Geometry square(int inChannels, int inHeight, int inWidth, int outChannels, int kernel,
                                      int stride, int padding, int dilation, int groups) {
            return new Geometry(inChannels, inHeight, inWidth, outChannels, kernel, kernel, stride, stride,
                    padding, padding, dilation, dilation, groups);
        }

        /** {@code OH = ⌊(H + 2·pH − dH·(KH − 1) − 1) / sH⌋ + 1}. */
        public int outHeight() {
            return (inHeight + 2 * padHeight - dilationHeight * (kernelHeight - 1) - 1) / strideHeight + 1;
        }

        /** {@code OW = ⌊(W + 2·pW − dW·(KW − 1) − 1) / sW⌋ + 1}. */
        public int outWidth() {
            return (inWidth + 2 * padWidth - dilationWidth * (kernelWidth - 1) - 1) / strideWidth + 1;
        }

        /** Floats per sample of the input, {@code C·H·W}. */
        public int inputSize() {
            return inChannels * inHeight * inWidth;
        }

        /** Floats per sample of the output, {@code O·OH·OW}. */
        public int outputSize() {
            return outChannels * outHeight() * outWidth();
        }

        /** Floats in the weight, {@code O·(C/G)·KH·KW}. */
        public int weightSize() {
            return outChannels * (inChannels / groups) * kernelHeight * kernelWidth;
        }

        private static void requirePositive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of {@code y = conv(x, w) + b}, overwriting them.
     *
     * @param b bias of length {@code O}, or {@code null} for a convolution without bias
     */
    public static void forward(float[] x, float[] w, float[] b, float[] y, Geometry g, int sampleFrom, int sampleTo) {
        final int inC = g.inChannels();
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outC = g.outChannels();
        final int kH = g.kernelHeight();
        final int kW = g.kernelWidth();
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int inPerGroup = inC / g.groups();
        final int outPerGroup = outC / g.groups();
        final int inPlane = inH * inW;
        final int outPlane = outH * outW;
        for (int s = sampleFrom; s < sampleTo; s++) {
            int xSample = s * inC * inPlane;
            for (int o = 0; o < outC; o++) {
                int yPlane = (s * outC + o) * outPlane;
                Arrays.fill(y, yPlane, yPlane + outPlane, b == null ? 0f : b[o]);
                int firstIn = o / outPerGroup * inPerGroup;
                for (int c = 0; c < inPerGroup; c++) {
                    int xPlane = xSample + (firstIn + c) * inPlane;
                    int wTaps = (o * inPerGroup + c) * kH * kW;
                    for (int kh = 0; kh < kH; kh++) {
                        int offH = kh * g.dilationHeight() - g.padHeight();
                        int ohFrom = firstInside(offH, sH);
                        int ohTo = endInside(offH, sH, inH, outH);
                        for (int kw = 0; kw < kW; kw++) {
                            float weight = w[wTaps + kh * kW + kw];
                            int offW = kw * g.dilationWidth() - g.padWidth();
                            int owFrom = firstInside(offW, sW);
                            int owTo = endInside(offW, sW, inW, outW);
                            for (int oh = ohFrom; oh < ohTo; oh++) {
                                // x[ih, iw] with iw = ow·sW + offW lives at xRow + ow·sW.
                                int xRow = xPlane + (oh * sH + offH) * inW + offW;
                                int yRow = yPlane + oh * outW;
                                if (sW == 1) {
                                    // The common case gets its own loop: with unit stride on both sides the JIT
                                    // drops the multiply from the index and unrolls better.
                                    for (int ow = owFrom; ow < owTo; ow++) {
                                        y[yRow + ow] += weight * x[xRow + ow];
                                    }
                                } else {
                                    for (int ow = owFrom; ow < owTo; ow++) {
                                        y[yRow + ow] += weight * x[xRow + ow * sW];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Samples {@code [sampleFrom, sampleTo)} of the input gradient {@code dx}, overwriting them: every output
     * gradient {@code dy[s,o,oh,ow]} is scattered back through the taps that produced {@code y[s,o,oh,ow]}.
     */
    public static void backwardInput(float[] dy, float[] w, float[] dx, Geometry g, int sampleFrom, int sampleTo) {
        final int inC = g.inChannels();
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outC = g.outChannels();
        final int kH = g.kernelHeight();
        final int kW = g.kernelWidth();
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int inPerGroup = inC / g.groups();
        final int outPerGroup = outC / g.groups();
        final int inPlane = inH * inW;
        final int outPlane = outH * outW;
        for (int s = sampleFrom; s < sampleTo; s++) {
            int dxSample = s * inC * inPlane;
            Arrays.fill(dx, dxSample, dxSample + inC * inPlane, 0f);
            for (int o = 0; o < outC; o++) {
                int dyPlane = (s * outC + o) * outPlane;
                int firstIn = o / outPerGroup * inPerGroup;
                for (int c = 0; c < inPerGroup; c++) {
                    int dxPlane = dxSample + (firstIn + c) * inPlane;
                    int wTaps = (o * inPerGroup + c) * kH * kW;
                    for (int kh = 0; kh < kH; kh++) {
                        int offH = kh * g.dilationHeight() - g.padHeight();
                        int ohFrom = firstInside(offH, sH);
                        int ohTo = endInside(offH, sH, inH, outH);
                        for (int kw = 0; kw < kW; kw++) {
                            float weight = w[wTaps + kh * kW + kw];
                            int offW = kw * g.dilationWidth() - g.padWidth();
                            int owFrom = firstInside(offW, sW);
                            int owTo = endInside(offW, sW, inW, outW);
                            for (int oh = ohFrom; oh < ohTo; oh++) {
                                int dxRow = dxPlane + (oh * sH + offH) * inW + offW;
                                int dyRow = dyPlane + oh * outW;
                                if (sW == 1) {
                                    for (int ow = owFrom; ow < owTo; ow++) {
                                        dx[dxRow + ow] += weight * dy[dyRow + ow];
                                    }
                                } else {
                                    for (int ow = owFrom; ow < owTo; ow++) {
                                        dx[dxRow + ow * sW] += weight * dy[dyRow + ow];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Output channels {@code [outFrom, outTo)} of the weight gradient, summed over all {@code n} samples and
     * overwriting (not accumulating into) {@code dw[outFrom..outTo)}. Each entry is one dot product between an
     * output-gradient plane and the input plane shifted by the tap, accumulated in double.
     */
    public static void backwardWeight(float[] dy, float[] x, float[] dw, int n, Geometry g, int outFrom, int outTo) {
        final int inC = g.inChannels();
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outC = g.outChannels();
        final int kH = g.kernelHeight();
        final int kW = g.kernelWidth();
        final int sH = g.strideHeight();
        final int sW = g.strideWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int inPerGroup = inC / g.groups();
        final int outPerGroup = outC / g.groups();
        final int inPlane = inH * inW;
        final int outPlane = outH * outW;
        for (int o = outFrom; o < outTo; o++) {
            int firstIn = o / outPerGroup * inPerGroup;
            for (int c = 0; c < inPerGroup; c++) {
                int wTaps = (o * inPerGroup + c) * kH * kW;
                for (int kh = 0; kh < kH; kh++) {
                    int offH = kh * g.dilationHeight() - g.padHeight();
                    int ohFrom = firstInside(offH, sH);
                    int ohTo = endInside(offH, sH, inH, outH);
                    for (int kw = 0; kw < kW; kw++) {
                        int offW = kw * g.dilationWidth() - g.padWidth();
                        int owFrom = firstInside(offW, sW);
                        int owTo = endInside(offW, sW, inW, outW);
                        double sum = 0;
                        for (int s = 0; s < n; s++) {
                            int xPlane = (s * inC + firstIn + c) * inPlane;
                            int dyPlane = (s * outC + o) * outPlane;
                            for (int oh = ohFrom; oh < ohTo; oh++) {
                                int xRow = xPlane + (oh * sH + offH) * inW + offW;
                                int dyRow = dyPlane + oh * outW;
                                for (int ow = owFrom; ow < owTo; ow++) {
                                    sum += (double) dy[dyRow + ow] * x[xRow + ow * sW];
                                }
                            }
                        }
                        dw[wTaps + kh * kW + kw] = (float) sum;
                    }
                }
            }
        }
    }

    /** Entries {@code [outFrom, outTo)} of {@code db[o] = Σ_{s,oh,ow} dy[s,o,oh,ow]}, summed in double, overwritten. */
    public static void backwardBias(float[] dy, float[] db, int n, Geometry g, int outFrom, int outTo) {
        int outC = g.outChannels();
        int outPlane = g.outHeight() * g.outWidth();
        for (int o = outFrom; o < outTo; o++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                int dyPlane = (s * outC + o) * outPlane;
                for (int k = 0; k < outPlane; k++) {
                    sum += dy[dyPlane + k];
                }
            }
            db[o] = (float) sum;
        }
    }

    /**
     * The first output index {@code i ≥ 0} whose input position {@code i·stride + offset} is not before the input
     * ({@code ≥ 0}): {@code ⌈−offset / stride⌉}, or 0.
     */
    static int firstInside(int offset, int stride) {
        return offset >= 0 ? 0 : -Math.floorDiv(offset, stride);
    }

    /**
     * One past the last output index {@code i < outSize} whose input position {@code i·stride + offset} is inside
     * an input of {@code inSize}: {@code ⌊(inSize − 1 − offset) / stride⌋ + 1}, clamped to {@code [0, outSize]}.
     * The loop {@code firstInside ≤ i < endInside} is empty when the tap reaches no input at all.
     */
    static int endInside(int offset, int stride, int inSize, int outSize) {
        int last = inSize - 1 - offset;
        if (last < 0) {
            return 0;
        }
        return Math.min(outSize, last / stride + 1);
    }
}
