package org.nnlang.runtime.data;

/** The two halves a training run needs: samples to learn from and held-out samples to measure accuracy on. */
public record TrainTestSplit(Dataset train, Dataset test) {
}
