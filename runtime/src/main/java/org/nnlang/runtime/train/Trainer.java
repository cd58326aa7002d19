package org.nnlang.runtime.train;

import org.nnlang.runtime.data.TrainTestSplit;

/** Runs a training job epoch by epoch: shuffle, train on every batch, measure test accuracy. (Being written.) */
public final class Trainer {
    private Trainer() {
    }

    public static TrainingReport train(TrainingJob job, TrainTestSplit data, TrainingListener listener) {
        throw new UnsupportedOperationException("trainer not written yet");
    }
}
