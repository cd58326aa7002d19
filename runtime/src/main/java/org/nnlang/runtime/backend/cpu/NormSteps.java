package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.BatchNorm;
import org.nnlang.runtime.kernels.Dropout;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;

/** CPU steps of batch normalisation (split by channels in training, by samples in evaluation) and dropout. */
final class NormSteps {
    private NormSteps() {
    }

    /** Channels and values per channel per sample of a {@code [C]} or {@code [C, H, W]} input. */
    private static int spatial(int[] dims) {
        return dims.length == 3 ? dims[1] * dims[2] : 1;
    }

    static final class Train implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] x;
        private final float[] gamma;
        private final float[] beta;
        private final float[] runningMean;
        private final float[] runningVar;
        private final float[] y;
        private final float[] savedMean;
        private final float[] savedInvStd;
        private final int channels;
        private final int spatial;
        private final float eps;
        private final float momentum;
        private final String origin;
        private int batch;

        Train(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            x = buffers.array(step.input(0));
            gamma = buffers.array(step.input(1));
            beta = buffers.array(step.input(2));
            runningMean = buffers.array(step.input(3));
            runningVar = buffers.array(step.input(4));
            y = buffers.array(step.output(0));
            savedMean = buffers.array(step.output(1));
            savedInvStd = buffers.array(step.output(2));
            int[] dims = buffers.dims(step.input(0));
            channels = dims[0];
            spatial = spatial(dims);
            eps = (float) step.doubleAttribute("eps");
            momentum = (float) step.doubleAttribute("momentum");
            origin = step.origin();
        }

        @Override
        public void run(int batchSize) {
            BatchNorm.requireVariance(batchSize, spatial, origin);
            batch = batchSize;
            pool.run(this, channels, 1);
        }

        @Override
        public void run(int from, int to) {
            BatchNorm.forwardTraining(x, gamma, beta, y, runningMean, runningVar, savedMean, savedInvStd, batch,
                    channels, spatial, eps, momentum, from, to);
        }
    }

    static final class Eval extends SampleStep {
        private final float[] x;
        private final float[] gamma;
        private final float[] beta;
        private final float[] runningMean;
        private final float[] runningVar;
        private final float[] y;
        private final int channels;
        private final int spatial;
        private final float eps;

        Eval(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            x = buffers.array(step.input(0));
            gamma = buffers.array(step.input(1));
            beta = buffers.array(step.input(2));
            runningMean = buffers.array(step.input(3));
            runningVar = buffers.array(step.input(4));
            y = buffers.array(step.output(0));
            int[] dims = buffers.dims(step.input(0));
            channels = dims[0];
            spatial = spatial(dims);
            eps = (float) step.doubleAttribute("eps");
        }

        @Override
        public void run(int from, int to) {
            BatchNorm.forwardInference(x, gamma, beta, runningMean, runningVar, y, channels, spatial, eps, from, to);
        }
    }

    static final class Grad implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] x;
        private final float[] dy;
        private final float[] savedMean;
        private final float[] savedInvStd;
        private final float[] gamma;
        private final float[] dx;
        private final float[] dgamma;
        private final float[] dbeta;
        private final int channels;
        private final int spatial;
        private int batch;

        Grad(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            x = buffers.array(step.input(0));
            dy = buffers.array(step.input(1));
            savedMean = buffers.array(step.input(2));
            savedInvStd = buffers.array(step.input(3));
            gamma = buffers.array(step.input(4));
            dx = buffers.array(step.output(0));
            dgamma = buffers.array(step.output(1));
            dbeta = buffers.array(step.output(2));
            int[] dims = buffers.dims(step.input(0));
            channels = dims[0];
            spatial = spatial(dims);
        }

        @Override
        public void run(int batchSize) {
            batch = batchSize;
            pool.run(this, channels, 1);
        }

        @Override
        public void run(int from, int to) {
            BatchNorm.backward(x, dy, savedMean, savedInvStd, gamma, dx, dgamma, dbeta, batch, channels, spatial,
                    from, to);
        }
    }

    /**
     * Inverted dropout. The mask is drawn on the calling thread, in order, from a stream of its own (split from the
     * run's seed when the plan is loaded), so a run repeats exactly; applying it is split across the cores.
     */
    static final class DropoutForward implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final Rng rng;
        private final float[] x;
        private final float[] y;
        private final float[] mask;
        private final float p;
        private final int sampleSize;

        DropoutForward(StepSpec step, Buffers buffers, WorkerPool pool, Rng rng) {
            this.pool = pool;
            this.rng = rng;
            x = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
            mask = buffers.array(step.output(1));
            p = (float) step.doubleAttribute("p");
            sampleSize = buffers.sampleSize(step.input(0));
        }

        @Override
        public void run(int batch) {
            Dropout.drawMask(rng, mask, p, 0, batch * sampleSize);
            pool.run(this, batch * sampleSize, 16_384);
        }

        @Override
        public void run(int from, int to) {
            Dropout.forward(x, mask, y, p, from, to);
        }
    }

    static final class DropoutGrad implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] dy;
        private final float[] mask;
        private final float[] dx;
        private final float p;
        private final int sampleSize;

        DropoutGrad(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            dy = buffers.array(step.input(0));
            mask = buffers.array(step.input(1));
            dx = buffers.array(step.output(0));
            p = (float) step.doubleAttribute("p");
            sampleSize = buffers.sampleSize(step.input(0));
        }

        @Override
        public void run(int batch) {
            pool.run(this, batch * sampleSize, 16_384);
        }

        @Override
        public void run(int from, int to) {
            Dropout.backward(dy, mask, dx, p, from, to);
        }
    }
}
