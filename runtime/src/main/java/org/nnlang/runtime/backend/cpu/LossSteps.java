package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.kernels.Elementwise;
import org.nnlang.runtime.kernels.Losses;
import org.nnlang.runtime.plan.StepSpec;

/**
 * CPU steps of the losses and their gradients. They touch {@code batch × classes} floats, tiny next to the layers,
 * so they run on one core.
 */
final class LossSteps {
    private LossSteps() {
    }

    /** {@code (loss, probs) = softmax_cross_entropy(logits, labels)}. */
    static final class SoftmaxCrossEntropy implements BoundStep {
        private final float[] logits;
        private final float[] labels;
        private final float[] loss;
        private final float[] probs;
        private final int classes;

        SoftmaxCrossEntropy(StepSpec step, Buffers buffers) {
            logits = buffers.array(step.input(0));
            labels = buffers.array(step.input(1));
            loss = buffers.array(step.output(0));
            probs = buffers.array(step.output(1));
            classes = buffers.sampleSize(step.input(0));
        }

        @Override
        public void run(int batch) {
            loss[0] = Losses.softmaxCrossEntropyForward(logits, labels, probs, batch, classes);
        }
    }

    /** {@code dlogits = (probs − onehot(labels)) / N}. */
    static final class SoftmaxCrossEntropyGrad implements BoundStep {
        private final float[] probs;
        private final float[] labels;
        private final float[] dlogits;
        private final int classes;

        SoftmaxCrossEntropyGrad(StepSpec step, Buffers buffers) {
            probs = buffers.array(step.input(0));
            labels = buffers.array(step.input(1));
            dlogits = buffers.array(step.output(0));
            classes = buffers.sampleSize(step.input(0));
        }

        @Override
        public void run(int batch) {
            Losses.softmaxCrossEntropyBackward(probs, labels, dlogits, batch, classes, 0, batch);
        }
    }

    /** {@code loss = mean((prediction − target)²)}. */
    static final class Mse implements BoundStep {
        private final float[] prediction;
        private final float[] target;
        private final float[] loss;
        private final int sampleSize;

        Mse(StepSpec step, Buffers buffers) {
            prediction = buffers.array(step.input(0));
            target = buffers.array(step.input(1));
            loss = buffers.array(step.output(0));
            sampleSize = buffers.sampleSize(step.input(0));
        }

        @Override
        public void run(int batch) {
            loss[0] = Losses.mseForward(prediction, target, batch * sampleSize);
        }
    }

    /** {@code dprediction = 2 (prediction − target) / M}. */
    static final class MseGrad implements BoundStep {
        private final float[] prediction;
        private final float[] target;
        private final float[] dprediction;
        private final int sampleSize;

        MseGrad(StepSpec step, Buffers buffers) {
            prediction = buffers.array(step.input(0));
            target = buffers.array(step.input(1));
            dprediction = buffers.array(step.output(0));
            sampleSize = buffers.sampleSize(step.input(0));
        }

        @Override
        public void run(int batch) {
            int count = batch * sampleSize;
            Losses.mseBackward(prediction, target, dprediction, count, 0, count);
        }
    }

    /** {@code y = one_hot(labels, classes)}. */
    static final class OneHot implements BoundStep {
        private final float[] labels;
        private final float[] y;
        private final int classes;

        OneHot(StepSpec step, Buffers buffers) {
            labels = buffers.array(step.input(0));
            y = buffers.array(step.output(0));
            classes = buffers.sampleSize(step.output(0));
        }

        @Override
        public void run(int batch) {
            Elementwise.oneHot(labels, y, classes, 0, batch);
        }
    }
}
