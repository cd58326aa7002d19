package org.nnlang.runtime.train;

import java.util.List;

/** What a finished training run measured, epoch by epoch; {@code nn train --report} writes it as JSON. */
public record TrainingReport(String model, String device, List<EpochResult> epochs) {
    public TrainingReport {
        epochs = List.copyOf(epochs);
    }
}
