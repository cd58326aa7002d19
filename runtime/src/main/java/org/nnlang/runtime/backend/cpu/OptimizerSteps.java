package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.RangeTask;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.optim.Adam;
import org.nnlang.runtime.optim.Sgd;
import org.nnlang.runtime.plan.StepSpec;

/**
 * CPU steps of the optimizer updates. The step counter lives in a one-float state buffer (exact up to 2²⁴ steps), so
 * everything an optimizer carries between steps is in the plan's buffers, where checkpoints can find it.
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
        private final float lr;
        private final float beta1;
        private final float beta2;
        private final float eps;
        private final float weightDecay;
        private final boolean decoupled;
        private int step;

        AdamUpdate(StepSpec spec, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            param = buffers.array(spec.input(0));
            grad = buffers.array(spec.input(1));
            m = buffers.array(spec.input(2));
            v = buffers.array(spec.input(3));
            stepCounter = buffers.array(spec.input(4));
            lr = (float) spec.doubleAttribute("lr");
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
        private final float lr;
        private final float momentum;
        private final float dampening;
        private final boolean nesterov;
        private final float weightDecay;
        private boolean firstStep;

        SgdUpdate(StepSpec spec, Buffers buffers, WorkerPool pool) {
            this.pool = pool;
            param = buffers.array(spec.input(0));
            grad = buffers.array(spec.input(1));
            boolean hasMomentum = spec.inputs().length == 4;
            buffer = hasMomentum ? buffers.array(spec.input(2)) : null;
            stepCounter = hasMomentum ? buffers.array(spec.input(3)) : null;
            lr = (float) spec.doubleAttribute("lr");
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
            pool.run(this, param.length, MIN_ELEMENTS_PER_PART);
        }

        @Override
        public void run(int from, int to) {
            Sgd.update(param, grad, buffer, from, to, firstStep, lr, momentum, dampening, nesterov, weightDecay);
        }
    }
}
