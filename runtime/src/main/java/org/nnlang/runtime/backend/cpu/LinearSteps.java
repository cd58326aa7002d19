package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Gemm;
import org.nnlang.runtime.kernels.Linear;
import org.nnlang.runtime.plan.StepSpec;

/**
 * The CPU steps of {@code linear} and its gradient kernels. The three matrix products run on {@link Gemm}:
 * <pre>
 *   forward       y  = x·Wᵀ + b     Gemm "NT": A = x [n, in],   op(B) = Wᵀ [in, out]   (bias added in the kernel)
 *   grad input    dx = dy·W         Gemm "NN": A = dy [n, out], op(B) = W  [out, in]
 *   grad weight   dW = dyᵀ·x        Gemm "TN": A = dy [n, out] read transposed, op(B) = x [n, in]
 * </pre>
 * Each runs in two phases on the {@link WorkerPool}: first {@code op(B)} is packed once into this step's
 * {@link Gemm.PackedB} (split over its rows when it is big enough to be worth it), then the result is split into up
 * to {@link WorkerPool#PARTS_PER_THREAD} parts per thread, each part with its own C tile, which the threads take one
 * by one (so a slow core takes fewer). Packing once and sharing it matters at small batches, where packing W costs as
 * much as a third of the product. The parts are bands of columns first, then of rows, on the packing's grains
 * ({@link Gemm.PackedB#columnGrain}, {@link Gemm.PackedB#rowGrain}): at batch 32, bands of 4 rows left the Vector API
 * kernels on their 4-row kernel, each part re-reading all of B, and two threads ran slower than one.
 */
final class LinearSteps {
    /**
     * Below this many multiply-adds a part is not worth handing to another core: at the ~40 GFLOP/s a core reaches
     * here it is about 6 µs of work, several times the cost of waking a spinning worker.
     */
    private static final int MIN_MACS_PER_PART = 131_072;
    /** Packing is a copy (a transposing one for the forward): split it when each part moves this many floats. */
    private static final int MIN_PACKED_PER_PART = 16_384;

    private LinearSteps() {
    }

    /**
     * A step that is one matrix product {@code C[m, n] = op(A)·op(B)}: the packing buffer and the tiles it owns, and
     * the two-phase run. Subclasses say how to pack and how to multiply a range of rows.
     */
    abstract static class GemmStep implements BoundStep, RangeTask {
        private final WorkerPool pool;
        final Gemm.PackedB packed;
        private final float[][][] tiles;
        /** Packs rows of op(B); a field so that handing it to the pool allocates nothing. */
        private final RangeTask packer = this::pack;
        /** The sizes of the current run: rows of C, columns of C, shared dimension. */
        int m;
        int n;
        int k;
        /** How the current run is cut: {@code rowParts × columnParts} parts. */
        private int rowParts;
        private int columnParts;

        GemmStep(WorkerPool pool, int kCapacity, int nCapacity) {
            this.pool = pool;
            this.packed = Gemm.newPackedB(kCapacity, nCapacity);
            this.tiles = new float[pool.threads() * WorkerPool.PARTS_PER_THREAD][][];
            for (int t = 0; t < tiles.length; t++) {
                tiles[t] = Gemm.newTile();
            }
        }

        /** Sets {@link #m}, {@link #n} and {@link #k} for a batch of {@code batch} samples. */
        abstract void size(int batch);

        /** Packs rows {@code [pFrom, pTo)} of op(B). */
        abstract void pack(int pFrom, int pTo);

        /** Rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)} of C, with this thread's {@code tile}. */
        abstract void multiply(int rowFrom, int rowTo, int colFrom, int colTo, float[][] tile);

        @Override
        public final void run(int batch) {
            size(batch);
            pool.run(packer, k, Math.max(1, MIN_PACKED_PER_PART / Math.max(1, n)));
            long macs = (long) m * n * k;
            int wanted = (int) Math.max(1, Math.min(tiles.length, macs / MIN_MACS_PER_PART));
            columnParts = Math.min(wanted, bands(n, packed.columnGrain()));
            rowParts = Math.max(1, Math.min(wanted / columnParts, bands(m, packed.rowGrain())));
            pool.run(this, rowParts * columnParts, 1);
        }

        /** Parts {@code [from, to)}: part {@code q} is row band {@code q / columnParts}, column band the rest. */
        @Override
        public final void run(int from, int to) {
            for (int q = from; q < to; q++) {
                int r = q / columnParts;
                int s = q % columnParts;
                multiply(boundary(m, rowParts, r, packed.rowGrain()), boundary(m, rowParts, r + 1, packed.rowGrain()),
                        boundary(n, columnParts, s, packed.columnGrain()),
                        boundary(n, columnParts, s + 1, packed.columnGrain()), tiles[q]);
            }
        }

        /** Bands of {@code grain} (at least one) that {@code size} makes, the last one possibly short. */
        private static int bands(int size, int grain) {
            return (int) Math.max(1, ((long) size + grain - 1) / grain);
        }

        /** Where band {@code q} of {@code count} over {@code size} starts: a multiple of {@code grain}. */
        private static int boundary(int size, int count, int q, int grain) {
            if (q >= count) {
                return size;
            }
            long at = (long) size * q / count;
            return (int) (at - at % grain);
        }
    }

    /** {@code y = x·Wᵀ + b}, then the activation after it when fused ({@link ElementwiseSteps.Epilogue}). */
    static final class Forward extends GemmStep {
        private final float[] x;
        private final float[] w;
        private final float[] b;
        private final float[] y;
        private final int in;
        private final int out;
        private final ElementwiseSteps.Epilogue epilogue;

        Forward(StepSpec step, Buffers buffers, WorkerPool pool) {
            this(step, buffers, pool, null);
        }

        Forward(StepSpec step, Buffers buffers, WorkerPool pool, ElementwiseSteps.Epilogue epilogue) {
            super(pool, buffers.sampleSize(step.input(0)), buffers.sampleSize(step.output(0)));
            this.x = buffers.array(step.input(0));
            this.w = buffers.array(step.input(1));
            this.b = step.inputs().length > 2 ? buffers.array(step.input(2)) : null;
            this.y = buffers.array(step.output(0));
            this.in = buffers.sampleSize(step.input(0));
            this.out = buffers.sampleSize(step.output(0));
            this.epilogue = epilogue;
        }

        @Override
        void size(int batch) {
            m = batch;
            n = out;
            k = in;
        }

        @Override
        void pack(int pFrom, int pTo) {
            Gemm.pack(w, 0, in, true, in, out, packed, pFrom, pTo);
        }

        @Override
        void multiply(int rowFrom, int rowTo, int colFrom, int colTo, float[][] tile) {
            Gemm.multiply(x, 0, in, false, packed, in, out, y, 0, out, b, false, rowFrom, rowTo, colFrom, colTo,
                    tile);
            if (epilogue != null) {
                for (int row = rowFrom; row < rowTo; row++) {
                    epilogue.apply(row * out + colFrom, row * out + colTo);
                }
            }
        }
    }

    /** {@code dx = dy·W}. */
    static final class GradInput extends GemmStep {
        private final float[] dy;
        private final float[] w;
        private final float[] dx;
        private final int in;
        private final int out;

        GradInput(StepSpec step, Buffers buffers, WorkerPool pool) {
            this(pool, buffers.array(step.input(0)), buffers.array(step.input(1)), buffers.array(step.output(0)),
                    buffers.sampleSize(step.output(0)), buffers.sampleSize(step.input(0)));
        }

        private GradInput(WorkerPool pool, float[] dy, float[] w, float[] dx, int in, int out) {
            super(pool, out, in);
            this.dy = dy;
            this.w = w;
            this.dx = dx;
            this.in = in;
            this.out = out;
        }

        @Override
        void size(int batch) {
            m = batch;
            n = in;
            k = out;
        }

        @Override
        void pack(int pFrom, int pTo) {
            Gemm.pack(w, 0, in, false, out, in, packed, pFrom, pTo);
        }

        @Override
        void multiply(int rowFrom, int rowTo, int colFrom, int colTo, float[][] tile) {
            Gemm.multiply(dy, 0, out, false, packed, out, in, dx, 0, in, null, false, rowFrom, rowTo, colFrom, colTo,
                    tile);
        }
    }

    /** {@code dW = dyᵀ·x}, summed over the batch; split over the rows of dW so no two cores write the same memory. */
    static final class GradWeight extends GemmStep {
        private final float[] dy;
        private final float[] x;
        private final float[] dw;
        private final int in;
        private final int out;

        GradWeight(StepSpec step, Buffers buffers, WorkerPool pool) {
            // The batch is this step's shared dimension, so op(B) needs room for as many rows as x can have samples
            // (the batch capacity, not x's array length: a shared storage slot can be longer than x).
            this(pool, buffers.batchCapacity(),
                    buffers.array(step.input(0)), buffers.array(step.input(1)),
                    buffers.array(step.output(0)), buffers.sampleSize(step.input(1)),
                    buffers.sampleSize(step.input(0)));
        }

        private GradWeight(WorkerPool pool, int batchCapacity, float[] dy, float[] x, float[] dw, int in, int out) {
            super(pool, batchCapacity, in);
            this.dy = dy;
            this.x = x;
            this.dw = dw;
            this.in = in;
            this.out = out;
        }

        @Override
        void size(int batch) {
            m = out;
            n = in;
            k = batch;
        }

        @Override
        void pack(int pFrom, int pTo) {
            Gemm.pack(x, 0, in, false, k, in, packed, pFrom, pTo);
        }

        @Override
        void multiply(int rowFrom, int rowTo, int colFrom, int colTo, float[][] tile) {
            Gemm.multiply(dy, 0, out, true, packed, k, in, dw, 0, in, null, false, rowFrom, rowTo, colFrom, colTo,
                    tile);
        }
    }

    /** {@code db = Σₙ dy[n]}: small, so it stays on one core. */
    static final class GradBias implements BoundStep {
        private final float[] dy;
        private final float[] db;
        private final int out;

        GradBias(StepSpec step, Buffers buffers) {
            dy = buffers.array(step.input(0));
            db = buffers.array(step.output(0));
            out = buffers.sampleSize(step.output(0));
        }

        @Override
        public void run(int batch) {
            Linear.backwardBias(dy, db, batch, out, 0, out);
        }
    }
}
