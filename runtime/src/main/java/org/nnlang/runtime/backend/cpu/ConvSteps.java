package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Conv2d;
import org.nnlang.runtime.kernels.Pooling;
import org.nnlang.runtime.plan.StepSpec;

/** CPU steps of convolutions and pooling: forward and input gradients split by samples, weight gradients by filters. */
final class ConvSteps {
    private ConvSteps() {
    }

    /** The geometry of a conv2d step from its input {@code x: [C, H, W]}, weight and attributes. */
    static Conv2d.Geometry convGeometry(StepSpec step, Buffers buffers, int[] inputDims, int[] weightDims) {
        return Conv2d.Geometry.square(inputDims[0], inputDims[1], inputDims[2], weightDims[0], weightDims[2],
                step.intAttribute("stride"), step.intAttribute("padding"), step.intAttribute("dilation"),
                step.intAttribute("groups"));
    }

    static final class Forward extends SampleStep {
        private final float[] x;
        private final float[] w;
        private final float[] b;
        private final float[] y;
        private final Conv2d.Geometry g;

        Forward(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            x = buffers.array(step.input(0));
            w = buffers.array(step.input(1));
            b = step.inputs().length > 2 ? buffers.array(step.input(2)) : null;
            y = buffers.array(step.output(0));
            g = convGeometry(step, buffers, buffers.dims(step.input(0)), buffers.dims(step.input(1)));
        }

        @Override
        public void run(int from, int to) {
            Conv2d.forward(x, w, b, y, g, from, to);
        }
    }

    static final class GradInput extends SampleStep {
        private final float[] dy;
        private final float[] w;
        private final float[] dx;
        private final Conv2d.Geometry g;

        GradInput(StepSpec step, Buffers buffers, WorkerPool pool) {
            super(pool);
            dy = buffers.array(step.input(0));
            w = buffers.array(step.input(1));
            dx = buffers.array(step.output(0));
            g = convGeometry(step, buffers, buffers.dims(step.output(0)), buffers.dims(step.input(1)));
        }

        @Override
        public void run(int from, int to) {
            Conv2d.backwardInput(dy, w, dx, g, from, to);
        }
    }

    /** Split by output filters: each core sums over the whole batch for its own filters. */
    static final class GradWeight implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] dy;
        private final float[] x;
        private final float[] dw;
        private final Conv2d.Geometry g;
        private int batch;

        GradWeight(StepSpec step, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            dy = buffers.array(step.input(0));
            x = buffers.array(step.input(1));
            dw = buffers.array(step.output(0));
            g = convGeometry(step, buffers, buffers.dims(step.input(1)), buffers.dims(step.output(0)));
        }

        @Override
        public void run(int batchSize) {
            batch = batchSize;
            pool.run(this, g.outChannels(), 1);
        }

        @Override
        public void run(int from, int to) {
            Conv2d.backwardWeight(dy, x, dw, batch, g, from, to);
        }
    }

    static final class GradBias implements BoundStep {
        private final float[] dy;
        private final float[] db;
        private final Conv2d.Geometry g;

        GradBias(StepSpec step, Buffers buffers) {
            dy = buffers.array(step.input(0));
            db = buffers.array(step.output(0));
            int[] dyDims = buffers.dims(step.input(0));
            // Only the output channels and plane matter for the bias: a 1×1 geometry over dy's own shape.
            g = Conv2d.Geometry.square(dyDims[0], dyDims[1], dyDims[2], dyDims[0], 1, 1, 0, 1, 1);
        }

        @Override
        public void run(int batch) {
            Conv2d.backwardBias(dy, db, batch, g, 0, g.outChannels());
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
