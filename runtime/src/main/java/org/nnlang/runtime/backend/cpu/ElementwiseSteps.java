package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Activations;
import org.nnlang.runtime.kernels.Elementwise;
import org.nnlang.runtime.plan.StepSpec;

/** CPU steps of element-wise kernels, split over the cores by element ranges. */
final class ElementwiseSteps {
    /** Element-wise work is memory-bound and cheap: only large arrays are worth splitting. */
    private static final int MIN_ELEMENTS_PER_PART = 16_384;

    private ElementwiseSteps() {
    }

    /** The shared shape of these steps: which buffers, how many elements per sample, how to split. */
    abstract static class Step implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final int sampleSize;
        private final boolean batched;

        Step(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            this.sampleSize = buffers.sampleSize(step.output(0));
            this.batched = buffers.isBatched(step.output(0));
        }

        @Override
        public final void run(int batch) {
            pool.run(this, batched ? batch * sampleSize : sampleSize, MIN_ELEMENTS_PER_PART);
        }
    }

    static final class Relu extends Step {
        private final float[] x;
        private final float[] y;

        Relu(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(step, buffers, pool);
            x = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
        }

        @Override
        public void run(int from, int to) {
            Activations.reluForward(x, y, from, to);
        }
    }

    static final class ReluGrad extends Step {
        private final float[] y;
        private final float[] dy;
        private final float[] dx;

        ReluGrad(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(step, buffers, pool);
            y = buffers.array(step.input(0));
            dy = buffers.array(step.input(1));
            dx = buffers.array(step.output(0));
        }

        @Override
        public void run(int from, int to) {
            Activations.reluBackward(y, dy, dx, from, to);
        }
    }

    static final class Add extends Step {
        private final float[] a;
        private final float[] b;
        private final float[] y;

        Add(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(step, buffers, pool);
            a = buffers.array(step.input(0));
            b = buffers.array(step.input(1));
            y = buffers.array(step.output(0));
        }

        @Override
        public void run(int from, int to) {
            Elementwise.add(a, b, y, from, to);
        }
    }
}
