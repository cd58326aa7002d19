package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.kernels.Elementwise;
import org.nnlang.runtime.optim.Adam;
import org.nnlang.runtime.optim.Sgd;
import org.nnlang.runtime.plan.StepSpec;

/**
 * CPU steps of the optimizer updates. The step counter lives in a one-float state buffer (exact up to 2²⁴ steps), so
 * everything an optimizer carries between steps is in the plan's buffers, where checkpoints can find it; the learning
 * rate is read from its buffer at every step, where a schedule may have changed it.
 */
final class OptimizerSteps {
    private static final int MIN_ELEMENTS_PER_PART = 16_384;

    private OptimizerSteps() {
    }

    static final class AdamUpdate implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] param;
        private final float[] grad;
        private final float[] m;
        private final float[] v;
        private final float[] stepCounter;
        private final float[] learningRate;
        private final float beta1;
        private final float beta2;
        private final float eps;
        private final float weightDecay;
        private final boolean decoupled;
        private int step;
        private float lr;

        AdamUpdate(StepSpec spec, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            param = buffers.array(spec.input(0));
            grad = buffers.array(spec.input(1));
            learningRate = buffers.array(spec.input(2));
            m = buffers.array(spec.input(3));
            v = buffers.array(spec.input(4));
            stepCounter = buffers.array(spec.input(5));
            beta1 = (float) spec.doubleAttribute("beta1");
            beta2 = (float) spec.doubleAttribute("beta2");
            eps = (float) spec.doubleAttribute("eps");
            weightDecay = (float) spec.doubleAttribute("weight_decay");
            decoupled = spec.booleanAttribute("decoupled");
        }

        @Override
        public void run(int batch) {
            stepCounter[0] += 1;
            step = (int) stepCounter[0];
            lr = learningRate[0];
            pool.run(this, param.length, MIN_ELEMENTS_PER_PART);
        }

        @Override
        public void run(int from, int to) {
            Adam.update(param, grad, m, v, from, to, step, lr, beta1, beta2, eps, weightDecay, decoupled);
        }
    }

    static final class SgdUpdate implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] param;
        private final float[] grad;
        private final float[] buffer;
        private final float[] stepCounter;
        private final float[] learningRate;
        private final float momentum;
        private final float dampening;
        private final boolean nesterov;
        private final float weightDecay;
        private boolean firstStep;
        private float lr;

        SgdUpdate(StepSpec spec, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            param = buffers.array(spec.input(0));
            grad = buffers.array(spec.input(1));
            learningRate = buffers.array(spec.input(2));
            boolean hasMomentum = spec.inputs().length == 5;
            buffer = hasMomentum ? buffers.array(spec.input(3)) : null;
            stepCounter = hasMomentum ? buffers.array(spec.input(4)) : null;
            momentum = (float) spec.doubleAttribute("momentum");
            dampening = (float) spec.doubleAttribute("dampening");
            nesterov = spec.booleanAttribute("nesterov");
            weightDecay = (float) spec.doubleAttribute("weight_decay");
        }

        @Override
        public void run(int batch) {
            if (stepCounter != null) {
                firstStep = stepCounter[0] == 0;
                stepCounter[0] += 1;
            }
            lr = learningRate[0];
            pool.run(this, param.length, MIN_ELEMENTS_PER_PART);
        }

        @Override
        public void run(int from, int to) {
            Sgd.update(param, grad, buffer, from, to, firstStep, lr, momentum, dampening, nesterov, weightDecay);
        }
    }

    /**
     * {@code c = min(1, max_norm / (‖g‖ + 1e-6))} over every gradient, PyTorch's {@code clip_grad_norm_}. The norm is
     * summed in double on one thread: it is a short pass next to the backward that made the gradients.
     */
    static final class ClipCoefficient implements BoundStep {
        private final float[][] gradients;
        private final float[] coefficient;
        private final double maxNorm;

        ClipCoefficient(StepSpec spec, Buffers buffers) {
            gradients = new float[spec.inputs().length][];
            for (int i = 0; i < gradients.length; i++) {
                gradients[i] = buffers.array(spec.input(i));
            }
            coefficient = buffers.array(spec.output(0));
            maxNorm = spec.doubleAttribute("max_norm");
        }

        @Override
        public void run(int batch) {
            double sum = 0;
            for (float[] g : gradients) {
                sum += Elementwise.sumOfSquares(g, 0, g.length);
            }
            coefficient[0] = (float) Math.min(1.0, maxNorm / (Math.sqrt(sum) + 1e-6));
        }
    }

    /** {@code y = g · c[0]}. */
    static final class Scale implements BoundStep, RangeTask {
        private final WorkerPool pool;
        private final float[] g;
        private final float[] c;
        private final float[] y;

        Scale(StepSpec spec, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            g = buffers.array(spec.input(0));
            c = buffers.array(spec.input(1));
            y = buffers.array(spec.output(0));
        }

        @Override
        public void run(int batch) {
            pool.run(this, g.length, MIN_ELEMENTS_PER_PART);
        }

        @Override
        public void run(int from, int to) {
            Elementwise.scale(g, c[0], y, from, to);
        }
    }
}
