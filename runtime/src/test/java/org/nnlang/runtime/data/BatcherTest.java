package org.nnlang.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnlang.runtime.tensor.Rng;

class BatcherTest {
    private static final int SAMPLE = 3;

    /** Sample i has every value equal to i and label i % 10, so a batch reveals which samples it holds. */
    private static Dataset numbered(int count) {
        float[] images = new float[count * SAMPLE];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            Arrays.fill(images, i * SAMPLE, (i + 1) * SAMPLE, i);
            labels[i] = i % 10;
        }
        return new Dataset("numbers", images, labels, count, new int[] {SAMPLE}, 10);
    }

    /** The samples of one epoch, in the order the batches hand them out. */
    private static List<Integer> epoch(Batcher batcher) {
        batcher.startEpoch();
        float[] inputs = new float[batcher.batchSize() * SAMPLE];
        float[] targets = new float[batcher.batchSize()];
        List<Integer> seen = new ArrayList<>();
        for (int b = 0; b < batcher.batchCount(); b++) {
            int n = batcher.fill(b, inputs, targets);
            for (int i = 0; i < n; i++) {
                int sample = (int) inputs[i * SAMPLE];
                assertThat(inputs[i * SAMPLE + SAMPLE - 1]).isEqualTo((float) sample);
                assertThat(targets[i]).isEqualTo((float) (sample % 10));
                seen.add(sample);
            }
        }
        return seen;
    }

    @Test
    void everySampleExactlyOncePerEpoch() {
        Batcher batcher = new Batcher(numbered(103), 10, true, new Rng(1));
        for (int e = 0; e < 3; e++) {
            List<Integer> seen = epoch(batcher);
            assertThat(seen).hasSize(103).doesNotHaveDuplicates();
            assertThat(seen).allSatisfy(i -> assertThat(i).isBetween(0, 102));
        }
    }

    @Test
    void differentOrderEachEpochSameOrderForTheSameSeed() {
        Batcher a = new Batcher(numbered(50), 8, true, new Rng(42));
        Batcher b = new Batcher(numbered(50), 8, true, new Rng(42));
        List<Integer> first = epoch(a);
        List<Integer> second = epoch(a);
        assertThat(second).isNotEqualTo(first);
        assertThat(epoch(b)).isEqualTo(first);
        assertThat(epoch(b)).isEqualTo(second);
        assertThat(epoch(new Batcher(numbered(50), 8, true, new Rng(43)))).isNotEqualTo(first);
    }

    @Test
    void withoutShuffleKeepsFileOrder() {
        Batcher batcher = new Batcher(numbered(7), 3, false, null);
        List<Integer> expected = List.of(0, 1, 2, 3, 4, 5, 6);
        assertThat(epoch(batcher)).isEqualTo(expected);
        assertThat(epoch(batcher)).isEqualTo(expected);
    }

    @Test
    void keepsThePartialLastBatchAndZeroesTheRest() {
        Batcher batcher = new Batcher(numbered(10), 4, false, null);
        assertThat(batcher.batchCount()).isEqualTo(3);
        float[] inputs = new float[4 * SAMPLE];
        float[] targets = new float[4];
        assertThat(batcher.fill(0, inputs, targets)).isEqualTo(4);
        assertThat(batcher.fill(1, inputs, targets)).isEqualTo(4);
        assertThat(batcher.fill(2, inputs, targets)).isEqualTo(2);
        assertThat(Arrays.copyOfRange(inputs, 0, 2 * SAMPLE)).containsExactly(8, 8, 8, 9, 9, 9);
        assertThat(Arrays.copyOfRange(inputs, 2 * SAMPLE, 4 * SAMPLE)).containsOnly(0f);
        assertThat(targets).containsExactly(8, 9, 0, 0);
        assertThatThrownBy(() -> batcher.fill(3, inputs, targets)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void exactMultipleHasNoPartialBatch() {
        assertThat(new Batcher(numbered(12), 4, false, null).batchCount()).isEqualTo(3);
        assertThat(new Batcher(numbered(1), 32, false, null).batchCount()).isEqualTo(1);
    }

    @Test
    void rejectsArraysTooSmallForTheBatch() {
        Batcher batcher = new Batcher(numbered(10), 4, false, null);
        assertThatThrownBy(() -> batcher.fill(0, new float[3], new float[4]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Batcher(numbered(10), 0, false, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
