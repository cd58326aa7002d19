package org.nnlang.runtime.train;

import org.nnlang.runtime.backend.Executable;

/** Hears about a training run as it goes; the command line draws its progress bar from these calls. */
public interface TrainingListener {
    /**
     * Called once the plan is loaded and its parameters initialised, before the first epoch: the place to replace
     * the initial weights, e.g. from a checkpoint ({@code nn train --init}).
     */
    default void loaded(Executable executable) {
    }

    default void epochStarted(int epoch, int epochs, int batches) {
    }

    /** Called after every batch, with the loss of that batch; must be cheap, it runs on the training thread. */
    default void batchFinished(int epoch, int batch, float loss) {
    }

    default void epochFinished(EpochResult result) {
    }

    /**
     * Called after the last epoch, while the trained model is still loaded: the place to save it
     * ({@code nn train --save}).
     */
    default void finished(Executable executable) {
    }

    TrainingListener SILENT = new TrainingListener() {
    };
}
