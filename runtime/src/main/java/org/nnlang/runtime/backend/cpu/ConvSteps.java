package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Conv2d;
import org.nnlang.runtime.kernels.DepthwiseConv2d;
import org.nnlang.runtime.kernels.FastConv2d;
import org.nnlang.runtime.kernels.Gemm;
import org.nnlang.runtime.kernels.Pooling;
import org.nnlang.runtime.plan.StepSpec;

/**
 * CPU steps of convolutions and pooling: forward and input gradients split by samples, weight gradients by filters
 * (or, through im2col, first by samples and then by rows of the product).
 *
 * <h2>Which convolution kernel</h2>
 * Chosen once per shape when a step is bound ({@link #kernelFor}); {@link Conv2d} stays the definition and the
 * fallback. Measured on the examples' shapes, batch 32, one thread (CPU time, busy 2-core machine):
 * <ul>
 *   <li>{@link ConvKernel#IM2COL} ({@link FastConv2d}, im2col + {@link Gemm}) for every convolution whose output
 *       channels read more than one input channel each ({@code C/G > 1}), plain or grouped: 4–8× faster than the
 *       reference (plain 16→32 3×3 stride 2 on 28×28: forward 5.7 ms vs 25 ms; pointwise 32→64 on 7×7: 0.58 ms vs
 *       4.2 ms);</li>
 *   <li>{@link ConvKernel#DEPTHWISE} ({@link DepthwiseConv2d}) when each output channel reads one input channel
 *       ({@code C/G = 1}: depthwise layers, and also a first layer on a 1-channel image): with stride 1, 3–4×
 *       faster than the reference (and than im2col, whose products are then tiny); with stride 2 (16 channels on
 *       28×28, forward + both gradients, batch 32) 1.4 against 2.3 ms, since its phase split walks precomputed
 *       tables (before that it was no faster than the reference, which these layers then used).</li>
 * </ul>
 * {@link ConvKernel#REFERENCE} is left for no shape today; it stays as the fallback and the definition.
 */
final class ConvSteps {
    /**
     * Below this many multiply-adds a part is not worth handing to another core (a few µs of work), as in
     * {@link LinearSteps}.
     */
    private static final long MIN_MACS_PER_PART = 131_072;

    private ConvSteps() {
    }

    /** The kernel family a convolution runs on; see the class comment for the rule and its measurements. */
    enum ConvKernel { IM2COL, DEPTHWISE, REFERENCE }

    static ConvKernel kernelFor(Conv2d.Geometry g) {
        if (g.inChannels() / g.groups() > 1) {
            return ConvKernel.IM2COL;
        }
        return ConvKernel.DEPTHWISE;
    }

    /** The geometry of a conv2d step from its input {@code x: [C, H, W]}, weight and attributes. */
    static Conv2d.Geometry convGeometry(StepSpec step, int[] inputDims, int[] weightDims) {
        return Conv2d.Geometry.square(inputDims[0], inputDims[1], inputDims[2], weightDims[0], weightDims[2],
                step.intAttribute("stride"), step.intAttribute("padding"), step.intAttribute("dilation"),
                step.intAttribute("groups"));
    }

    /** Multiply-adds per sample of the convolution (the same for its forward and both gradients). */
    private static long macsPerSample(Conv2d.Geometry g) {
        return (long) g.outputSize() * (g.inChannels() / g.groups()) * g.kernelHeight() * g.kernelWidth();
    }

    /** How many parts (one per thread) {@code count} units of {@code macsPerUnit} multiply-adds are worth. */
    private static int parts(WorkerPool pool, int count, long macsPerUnit) {
        return parts(pool.threads(), count, macsPerUnit);
    }

    /** As {@link #parts(WorkerPool, int, long)}, for at most {@code most} parts. */
    private static int parts(int most, int count, long macsPerUnit) {
        long worth = Math.max(1, count * macsPerUnit / MIN_MACS_PER_PART);
        return (int) Math.max(1, Math.min(Math.min(most, count), worth));
    }

    /**
     * A step split by samples into up to {@link WorkerPool#PARTS_PER_THREAD} parts per thread, part {@code q} on
     * samples {@code [q·n/parts, (q+1)·n/parts)} with the scratch of the thread that takes it
     * ({@link WorkerPool#threadIndex}). More parts than threads let a fast core take more of them when the other is
     * slow or busy: with one part per thread, the caller of a 2-thread separable CNN waited for its worker in 20% of
     * the samples of a profile (docs/performance.md).
     */
    abstract static class SamplePartStep implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final long macsPerSample;
        private int batch;
        private int parts;

        SamplePartStep(WorkerPool pool, long macsPerSample) {
            this.pool = pool;
            this.macsPerSample = macsPerSample;
        }

        /** Samples {@code [from, to)} with thread {@code thread}'s scratch. */
        abstract void runPart(int thread, int from, int to);

        @Override
        public final void run(int batchSize) {
            batch = batchSize;
            parts = parts(pool.threads() * WorkerPool.PARTS_PER_THREAD, batchSize, macsPerSample);
            pool.run(this, parts, 1);
        }

        @Override
        public final void run(int from, int to) {
            int thread = WorkerPool.threadIndex();
            for (int q = from; q < to; q++) {
                runPart(thread, (int) ((long) batch * q / parts), (int) ((long) batch * (q + 1) / parts));
            }
        }
    }

    static final class Forward extends SamplePartStep {
        private final float[] x;
        private final float[] w;
        private final float[] b;
        private final float[] y;
        private final Conv2d.Geometry g;
        private final ConvKernel kernel;
        private final FastConv2d.SampleScratch[] im2col;
        private final DepthwiseConv2d.Scratch[] depthwise;
        /** The activation after this step, applied to each part's samples, or null ({@link ElementwiseSteps}). */
        private final ElementwiseSteps.Epilogue epilogue;

        Forward(StepSpec step, Buffers buffers, WorkerPool pool) {
            this(step, buffers, pool, null);
        }

        Forward(StepSpec step, Buffers buffers, WorkerPool pool, ElementwiseSteps.Epilogue epilogue) {
            this(buffers.array(step.input(0)), buffers.array(step.input(1)),
                    step.inputs().length > 2 ? buffers.array(step.input(2)) : null, buffers.array(step.output(0)),
                    convGeometry(step, buffers.dims(step.input(0)), buffers.dims(step.input(1))), pool, epilogue);
        }

        private Forward(float[] x, float[] w, float[] b, float[] y, Conv2d.Geometry g, WorkerPool pool,
                        ElementwiseSteps.Epilogue epilogue) {
            super(pool, macsPerSample(g));
            this.epilogue = epilogue;
            this.x = x;
            this.w = w;
            this.b = b;
            this.y = y;
            this.g = g;
            kernel = kernelFor(g);
            im2col = new FastConv2d.SampleScratch[kernel == ConvKernel.IM2COL ? pool.threads() : 0];
            depthwise = new DepthwiseConv2d.Scratch[kernel == ConvKernel.DEPTHWISE ? pool.threads() : 0];
            for (int q = 0; q < im2col.length; q++) {
                im2col[q] = FastConv2d.newSampleScratch(g);
            }
            for (int q = 0; q < depthwise.length; q++) {
                depthwise[q] = DepthwiseConv2d.newScratch(g);
            }
        }

        @Override
        void runPart(int thread, int from, int to) {
            switch (kernel) {
                case IM2COL -> FastConv2d.forward(x, w, b, y, g, from, to, im2col[thread]);
                case DEPTHWISE -> DepthwiseConv2d.forward(x, w, b, y, g, from, to, depthwise[thread]);
                default -> Conv2d.forward(x, w, b, y, g, from, to);
            }
            if (epilogue != null) {
                epilogue.apply(from * g.outputSize(), to * g.outputSize());
            }
        }
    }

    static final class GradInput extends SamplePartStep {
        private final float[] dy;
        private final float[] w;
        private final float[] dx;
        private final Conv2d.Geometry g;
        private final ConvKernel kernel;
        private final FastConv2d.SampleScratch[] im2col;
        private final DepthwiseConv2d.Scratch[] depthwise;

        GradInput(StepSpec step, Buffers buffers, WorkerPool pool) {
            this(buffers.array(step.input(0)), buffers.array(step.input(1)), buffers.array(step.output(0)),
                    convGeometry(step, buffers.dims(step.output(0)), buffers.dims(step.input(1))), pool);
        }

        private GradInput(float[] dy, float[] w, float[] dx, Conv2d.Geometry g, WorkerPool pool) {
            super(pool, macsPerSample(g));
            this.dy = dy;
            this.w = w;
            this.dx = dx;
            this.g = g;
            kernel = kernelFor(g);
            im2col = new FastConv2d.SampleScratch[kernel == ConvKernel.IM2COL ? pool.threads() : 0];
            depthwise = new DepthwiseConv2d.Scratch[kernel == ConvKernel.DEPTHWISE ? pool.threads() : 0];
            for (int q = 0; q < im2col.length; q++) {
                im2col[q] = FastConv2d.newSampleScratch(g);
            }
            for (int q = 0; q < depthwise.length; q++) {
                depthwise[q] = DepthwiseConv2d.newScratch(g);
            }
        }

        @Override
        void runPart(int thread, int from, int to) {
            switch (kernel) {
                case IM2COL -> FastConv2d.backwardInput(dy, w, dx, g, from, to, im2col[thread]);
                case DEPTHWISE -> DepthwiseConv2d.backwardInput(dy, w, dx, g, from, to, depthwise[thread]);
                default -> Conv2d.backwardInput(dy, w, dx, g, from, to);
            }
        }
    }

    /**
     * The weight gradient. Through im2col it runs in two phases: the batch's column matrix and packed B, split by
     * samples; then the product, split by its rows ({@link FastConv2d#weightGradRows}). The direct kernels split by
     * output filters: each part sums over the whole batch for its own filters.
     */
    static final class GradWeight implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] dy;
        private final float[] x;
        private final float[] dw;
        private final Conv2d.Geometry g;
        private final ConvKernel kernel;
        private final FastConv2d.WeightGradScratch im2col;
        private final DepthwiseConv2d.Scratch[] depthwise;
        private final int threads;
        /** Phase 1 of the im2col path, over parts of the samples; a field so handing it over allocates nothing. */
        private final RangeTask prepare = this::prepare;
        private int batch;
        private int parts;
        private int rows;

        GradWeight(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            dy = buffers.array(step.input(0));
            x = buffers.array(step.input(1));
            dw = buffers.array(step.output(0));
            g = convGeometry(step, buffers.dims(step.input(1)), buffers.dims(step.output(0)));
            kernel = kernelFor(g);
            threads = pool.threads();
            // The batch capacity, not x's array length: a shared storage slot can be longer than x.
            im2col = kernel == ConvKernel.IM2COL
                    ? FastConv2d.newWeightGradScratch(g, buffers.batchCapacity(), threads) : null;
            depthwise = new DepthwiseConv2d.Scratch[kernel == ConvKernel.DEPTHWISE ? threads : 0];
            for (int q = 0; q < depthwise.length; q++) {
                depthwise[q] = DepthwiseConv2d.newScratch(g);
            }
        }

        @Override
        public void run(int batchSize) {
            batch = batchSize;
            long macs = macsPerSample(g) * batchSize;
            switch (kernel) {
                case IM2COL -> {
                    parts = parts(threads * WorkerPool.PARTS_PER_THREAD, batchSize, macsPerSample(g));
                    pool.run(prepare, parts, 1);
                    rows = FastConv2d.weightGradRows(g);
                    parts = parts(pool, rows, macs / rows);
                    pool.run(this, parts, 1);
                }
                default -> {
                    rows = g.outChannels();
                    parts = parts(pool, rows, macs / rows);
                    pool.run(this, parts, 1);
                }
            }
        }

        private int boundary(int count, int q) {
            return (int) ((long) count * q / parts);
        }

        private void prepare(int from, int to) {
            int thread = WorkerPool.threadIndex();
            for (int q = from; q < to; q++) {
                FastConv2d.weightGradPrepare(dy, x, batch, g, boundary(batch, q), boundary(batch, q + 1), im2col,
                        thread);
            }
        }

        @Override
        public void run(int from, int to) {
            int thread = WorkerPool.threadIndex();
            for (int q = from; q < to; q++) {
                int rowFrom = boundary(rows, q);
                int rowTo = boundary(rows, q + 1);
                switch (kernel) {
                    case IM2COL -> FastConv2d.weightGradMultiply(dw, batch, g, rowFrom, rowTo, im2col, thread);
                    case DEPTHWISE -> DepthwiseConv2d.backwardWeight(dy, x, dw, batch, g, rowFrom, rowTo,
                            depthwise[thread]);
                    default -> Conv2d.backwardWeight(dy, x, dw, batch, g, rowFrom, rowTo);
                }
            }
        }
    }

    /**
     * {@code db[o] = Σ dy[s,o,·]}: the samples added position by position in a vector loop, then summed in double
     * ({@link FastConv2d#backwardBias}); a few µs, so it stays on one core.
     */
    static final class GradBias implements BoundStep {
        private final float[] dy;
        private final float[] db;
        private final int channels;
        private final int positions;
        private final float[] acc;
        private final float[] plane;

        GradBias(StepSpec step, Buffers buffers) {
            dy = buffers.array(step.input(0));
            db = buffers.array(step.output(0));
            // From db ([C]) and dy's size, not dy's dims: when the convolution feeds flatten, dy is the flat [C·H·W].
            channels = buffers.dims(step.output(0))[0];
            positions = buffers.sampleSize(step.input(0)) / channels;
            acc = new float[positions];
            plane = new float[positions];
        }

        @Override
        public void run(int batch) {
            FastConv2d.backwardBias(dy, db, batch, channels, positions, 0, channels, acc, plane);
        }
    }

    static Pooling.Geometry poolGeometry(StepSpec step, int[] inputDims) {
        return Pooling.Geometry.square(inputDims[0], inputDims[1], inputDims[2], step.intAttribute("kernel"),
                step.intAttribute("stride"), step.intAttribute("padding"));
    }

    static final class MaxPool extends SampleStep {
        private final float[] x;
        private final float[] y;
        private final float[] indices;
        private final Pooling.Geometry g;

        MaxPool(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            x = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
            indices = buffers.array(step.output(1));
            g = poolGeometry(step, buffers.dims(step.input(0)));
        }

        @Override
        public void run(int from, int to) {
            Pooling.maxPool2dForward(x, y, indices, g, from, to);
        }
    }

    static final class MaxPoolGrad extends SampleStep {
        private final float[] dy;
        private final float[] indices;
        private final float[] dx;
        private final Pooling.Geometry g;

        MaxPoolGrad(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            dy = buffers.array(step.input(0));
            indices = buffers.array(step.input(1));
            dx = buffers.array(step.output(0));
            g = poolGeometry(step, buffers.dims(step.output(0)));
        }

        @Override
        public void run(int from, int to) {
            Pooling.maxPool2dBackward(dy, indices, dx, g, from, to);
        }
    }

    static final class AvgPool extends SampleStep {
        private final float[] x;
        private final float[] y;
        private final Pooling.Geometry g;

        AvgPool(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            x = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
            g = poolGeometry(step, buffers.dims(step.input(0)));
        }

        @Override
        public void run(int from, int to) {
            Pooling.avgPool2dForward(x, y, g, from, to);
        }
    }

    static final class AvgPoolGrad extends SampleStep {
        private final float[] dy;
        private final float[] dx;
        private final Pooling.Geometry g;

        AvgPoolGrad(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            dy = buffers.array(step.input(0));
            dx = buffers.array(step.output(0));
            g = poolGeometry(step, buffers.dims(step.output(0)));
        }

        @Override
        public void run(int from, int to) {
            Pooling.avgPool2dBackward(dy, dx, g, from, to);
        }
    }

    static final class GlobalAvgPool extends SampleStep {
        private final float[] x;
        private final float[] y;
        private final int channels;
        private final int plane;

        GlobalAvgPool(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            x = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
            int[] dims = buffers.dims(step.input(0));
            channels = dims[0];
            plane = dims[1] * dims[2];
        }

        @Override
        public void run(int from, int to) {
            Pooling.globalAvgPoolForward(x, y, channels, plane, from, to);
        }
    }

    static final class GlobalAvgPoolGrad extends SampleStep {
        private final float[] dy;
        private final float[] dx;
        private final int channels;
        private final int plane;

        GlobalAvgPoolGrad(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            dy = buffers.array(step.input(0));
            dx = buffers.array(step.output(0));
            int[] dims = buffers.dims(step.output(0));
            channels = dims[0];
            plane = dims[1] * dims[2];
        }

        @Override
        public void run(int from, int to) {
            Pooling.globalAvgPoolBackward(dy, dx, channels, plane, from, to);
        }
    }
}
