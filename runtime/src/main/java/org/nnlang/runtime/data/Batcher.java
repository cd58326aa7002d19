package org.nnlang.runtime.data;

import java.util.Arrays;
import java.util.Objects;
import org.nnlang.runtime.tensor.Rng;

/**
 * Cuts a {@link Dataset} into batches, in a fresh random order every epoch, like PyTorch's
 * {@code DataLoader(dataset, batch_size, shuffle)} with {@code drop_last=False}: every sample is seen exactly once per
 * epoch and the last batch holds whatever is left over.
 * <pre>{@code
 * Batcher batcher = new Batcher(data, 32, true, rng);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batcher.startEpoch();
 *     for (int b = 0; b < batcher.batchCount(); b++) {
 *         int n = batcher.fill(b, inputs, targets);   // inputs, targets: the plan's batch buffers
 *         ...
 *     }
 * }
 * }</pre>
 * Allocation-free after construction: {@link #startEpoch()} reshuffles an index array in place and {@link #fill}
 * copies into arrays the caller owns. Not thread-safe.
 */
public final class Batcher {
    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final Rng rng;
    private final int sampleSize;
    private final int[] order;

    /**
     * @param shuffle whether {@link #startEpoch()} draws a new order; when false the samples come in file order
     * @param rng     the stream the orders are drawn from; may be null when {@code shuffle} is false
     */
    public Batcher(Dataset data, int batchSize, boolean shuffle, Rng rng) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (shuffle && rng == null) {
            throw new IllegalArgumentException("shuffling needs an Rng");
        }
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.rng = rng;
        this.sampleSize = data.sampleSize();
        this.order = new int[data.count()];
        resetOrder();
    }

    public Dataset dataset() {
        return data;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The number of samples an epoch covers: all of them. */
    public int sampleCount() {
        return order.length;
    }

    /** Batches per epoch, the last one possibly partial: {@code ceil(count / batchSize)}. */
    public int batchCount() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /**
     * Begins an epoch: with shuffling on, draws a new uniformly random order of the samples (a Fisher–Yates shuffle of
     * {@code 0..count-1}, so the order depends only on the Rng's state, not on earlier epochs); otherwise keeps file
     * order. Call it before every epoch, the first included.
     */
    public void startEpoch() {
        if (shuffle) {
            resetOrder();
            rng.shuffle(order);
        }
    }

    /** The index in the data set of the sample at {@code position} of this epoch's order. */
    public int sampleAt(int position) {
        return order[position];
    }

    /**
     * Copies batch {@code batchIndex} of this epoch into {@code inputs} (sample after sample, {@code sampleSize()}
     * floats each) and {@code targets} (the class index of each sample, as a float). Returns how many samples the batch
     * holds: {@link #batchSize()}, or fewer for the last one; in that case the rest of the arrays, up to a full batch,
     * is set to zero so nothing from the previous batch lingers there.
     *
     * @throws IndexOutOfBoundsException if there is no such batch
     * @throws IllegalArgumentException  if the arrays cannot hold the batch
     */
    public int fill(int batchIndex, float[] inputs, float[] targets) {
        int batches = batchCount();
        if (batchIndex < 0 || batchIndex >= batches) {
            throw new IndexOutOfBoundsException("batch " + batchIndex + " of " + batches);
        }
        int start = batchIndex * batchSize;
        int n = Math.min(batchSize, order.length - start);
        if (inputs.length < n * sampleSize || targets.length < n) {
            throw new IllegalArgumentException("batch of " + n + " samples needs " + n * sampleSize
                    + " input and " + n + " target floats; got arrays of " + inputs.length + " and " + targets.length);
        }
        float[] images = data.images();
        int[] labels = data.labels();
        for (int i = 0; i < n; i++) {
            int sample = order[start + i];
            System.arraycopy(images, sample * sampleSize, inputs, i * sampleSize, sampleSize);
            targets[i] = labels[sample];
        }
        if (n < batchSize) {
            Arrays.fill(inputs, n * sampleSize, Math.min(inputs.length, batchSize * sampleSize), 0f);
            Arrays.fill(targets, n, Math.min(targets.length, batchSize), 0f);
        }
        return n;
    }

    private void resetOrder() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
    }
}
