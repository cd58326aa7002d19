package org.nnlang.runtime.tornado;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The split of a reduction ({@link Chunks}): every unit in exactly one chunk, and a bounded scratch array. */
class ChunksTest {
    @Test
    void chunksCoverTheLengthWithoutAnEmptyOneAtCapacity() {
        int[][] shapes = {{1, 1, 1}, {144, 896, 28}, {18432, 224, 7}, {8, 50176, 1}, {72, 1792, 28}, {5, 3, 1},
            {590000, 4096, 16}, {3, 1_000_000, 1}};
        for (int[] shape : shapes) {
            Chunks chunks = Chunks.of(shape[0], shape[1], shape[2]);
            assertThat(chunks.count()).as("chunks of %s", chunks).isBetween(1, shape[1]);
            // Chunks of chunkLength units cover the length, and the last one is not empty.
            assertThat((long) chunks.count() * chunks.chunkLength()).as("%s", chunks).isGreaterThanOrEqualTo(shape[1]);
            assertThat((long) (chunks.count() - 1) * chunks.chunkLength()).as("%s", chunks).isLessThan(shape[1]);
            // No more partials than the target number of work items (plus one row of outputs).
            assertThat(chunks.items()).as("%s", chunks).isLessThan(Chunks.TARGET_ITEMS + shape[0]);
        }
    }

    @Test
    void aSmallReductionIsCutIntoAboutTheSquareRootOfItsWork() {
        // 144 weights of a 3×3 conv on 32 samples of 28 output rows: work 896·28 per weight, √ ≈ 159 chunks.
        Chunks chunks = Chunks.of(144, 32 * 28, 28);
        assertThat(chunks.chunkLength()).isEqualTo(6);
        assertThat(chunks.count()).isEqualTo(150);
        // Many outputs: only as many chunks as fill the target.
        assertThat(Chunks.of(18432, 224, 7).count()).isEqualTo(8);
    }
}
