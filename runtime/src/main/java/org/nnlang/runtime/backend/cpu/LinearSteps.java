package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Linear;
import org.nnlang.runtime.plan.StepSpec;

/** The CPU steps of {@code linear} and its three gradient kernels, each split over the cores by rows. */
final class LinearSteps {
    /** Below this many multiply-adds a part is not worth handing to another core. */
    private static final int MIN_WORK_PER_PART = 32_768;

    private LinearSteps() {
    }

    static int minRows(int workPerRow) {
        return Math.max(1, MIN_WORK_PER_PART / Math.max(1, workPerRow));
    }

    /** {@code y = x·Wᵀ + b}; W is transposed once per step into scratch so the inner loop runs over contiguous memory. */
    static final class Forward implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] x;
        private final float[] w;
        private final float[] b;
        private final float[] y;
        private final float[] wT;
        private final int in;
        private final int out;

        Forward(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            x = buffers.array(step.input(0));
            w = buffers.array(step.input(1));
            b = step.inputs().length > 2 ? buffers.array(step.input(2)) : null;
            y = buffers.array(step.output(0));
            in = buffers.sampleSize(step.input(0));
            out = buffers.sampleSize(step.output(0));
            wT = new float[in * out];
        }

        @Override
        public void run(int batch) {
            Linear.transposeWeight(w, wT, in, out);
            pool.run(this, batch, minRows(in * out));
        }

        @Override
        public void run(int from, int to) {
            Linear.forwardTransposed(x, wT, b, y, in, out, from, to);
        }
    }

    /** {@code dx = dy·W}. */
    static final class GradInput implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] dy;
        private final float[] w;
        private final float[] dx;
        private final int in;
        private final int out;

        GradInput(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            dy = buffers.array(step.input(0));
            w = buffers.array(step.input(1));
            dx = buffers.array(step.output(0));
            out = buffers.sampleSize(step.input(0));
            in = buffers.sampleSize(step.output(0));
        }

        @Override
        public void run(int batch) {
            pool.run(this, batch, minRows(in * out));
        }

        @Override
        public void run(int from, int to) {
            Linear.backwardInput(dy, w, dx, in, out, from, to);
        }
    }

    /** {@code dW = dyᵀ·x}, split over the rows of dW so no two cores write the same memory. */
    static final class GradWeight implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] dy;
        private final float[] x;
        private final float[] dw;
        private final int in;
        private final int out;
        private int batch;

        GradWeight(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            dy = buffers.array(step.input(0));
            x = buffers.array(step.input(1));
            dw = buffers.array(step.output(0));
            out = buffers.sampleSize(step.input(0));
            in = buffers.sampleSize(step.input(1));
        }

        @Override
        public void run(int batchSize) {
            batch = batchSize;
            pool.run(this, out, minRows(batchSize * in));
        }

        @Override
        public void run(int from, int to) {
            Linear.backwardWeight(dy, x, dw, batch, in, out, from, to);
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
