package org.nnlang.runtime.train;

/** Hears about a training run as it goes; the command line draws its progress bar from these calls. */
public interface TrainingListener {
    default void epochStarted(int epoch, int epochs, int batches) {
    }

    /** Called after every batch, with the loss of that batch; must be cheap, it runs on the training thread. */
    default void batchFinished(int epoch, int batch, float loss) {
    }

    default void epochFinished(EpochResult result) {
    }

    TrainingListener SILENT = new TrainingListener() {
    };
}
