package org.nnlang.runtime.train;

/**
 * The figures printed and reported after each epoch.
 *
 * @param trainLoss        the mean of the per-batch losses of the epoch (as PyTorch users usually log it)
 * @param testAccuracy     the fraction of test samples classified correctly after the epoch, in [0, 1]
 * @param samplesPerSecond training samples processed per second of the epoch's training loop
 * @param seconds          wall-clock seconds of the epoch's training loop (evaluation excluded)
 */
public record EpochResult(int epoch, double trainLoss, double testAccuracy, double samplesPerSecond, double seconds) {
}
