package org.nnlang.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.runtime.NnException;

class DatasetsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzipped = {0}")
    @ValueSource(booleans = {false, true})
    void loadsAnIdxFolder(boolean gzipped) {
        IdxFiles.folder(dir, 12, 5, gzipped);
        TrainTestSplit split = Datasets.load(new DataSource.IdxFolder(dir.toString()));

        Dataset train = split.train();
        assertThat(train.count()).isEqualTo(12);
        assertThat(train.sampleShape()).containsExactly(1, 4, 3);
        assertThat(train.classes()).isEqualTo(10);
        assertThat(train.images()).hasSize(12 * 12);
        assertThat(train.labels()).startsWith(0, 1, 2, 3);
        // Pixel 5 of image 3 was written as (3 * 7 + 5) % 256 = 26.
        assertThat(train.images()[3 * 12 + 5]).isEqualTo(26 / 255f);
        assertThat(split.test().count()).isEqualTo(5);
    }

    @Test
    void bundledSampleLoadsFromTheClasspath() {
        TrainTestSplit split = Datasets.load(new DataSource.BundledFashionMnist());
        assertThat(split.train().count()).isEqualTo(10_000);
        assertThat(split.test().count()).isEqualTo(2_000);
        for (Dataset data : new Dataset[] {split.train(), split.test()}) {
            assertThat(data.sampleShape()).containsExactly(1, 28, 28);
            assertThat(data.images()).hasSize(data.count() * 784);
            assertThat(data.labels()).hasSize(data.count());
            assertThat(data.classes()).isEqualTo(10);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float x : data.images()) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            assertThat(min).isEqualTo(0f);
            assertThat(max).isEqualTo(1f);
            int[] perClass = new int[10];
            for (int label : data.labels()) {
                perClass[label]++;
            }
            assertThat(Arrays.stream(perClass).min().getAsInt()).isGreaterThan(data.count() / 20);
        }
    }

    @Test
    void missingFolderIsNamed() {
        Path missing = dir.resolve("no-such-folder");
        assertThatThrownBy(() -> Datasets.load(new DataSource.IdxFolder(missing.toString())))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void missingFileListsWhatWasLookedFor() throws Exception {
        IdxFiles.folder(dir, 4, 4, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> Datasets.load(new DataSource.IdxFolder(dir.toString())))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("has no t10k-labels-idx1-ubyte[.gz]")
                .hasMessageContaining("train-images-idx3-ubyte, train-labels-idx1-ubyte")
                .hasMessageContaining("this one holds t10k-images-idx3-ubyte.gz, train-images");
    }

    @Test
    void countMismatchNamesBothFiles() {
        IdxFiles.folder(dir, 6, 4, false);
        IdxFiles.write(dir, Datasets.TRAIN_LABELS, IdxFiles.labels(5));
        assertThatThrownBy(() -> Datasets.load(new DataSource.IdxFolder(dir.toString())))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(dir.resolve(Datasets.TRAIN_IMAGES) + " holds 6 images but ")
                .hasMessageContaining(dir.resolve(Datasets.TRAIN_LABELS) + " holds 5 labels");
    }

    @Test
    void labelOutOfRangeIsNamed() {
        IdxFiles.folder(dir, 4, 3, false);
        IdxFiles.write(dir, Datasets.TEST_LABELS, IdxFiles.idx(new int[] {3}, new byte[] {1, 12, 3}));
        assertThatThrownBy(() -> Datasets.load(new DataSource.IdxFolder(dir.toString())))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(dir.resolve(Datasets.TEST_LABELS).toString())
                .hasMessageContaining("label 12 of sample 1 is out of range; expected a class from 0 to 9");
    }

    @Test
    void damagedFileInAFolderIsNamed() {
        IdxFiles.folder(dir, 4, 3, false);
        byte[] whole = IdxFiles.images(3, 4, 3);
        IdxFiles.write(dir, Datasets.TEST_IMAGES, Arrays.copyOf(whole, whole.length - 1));
        assertThatThrownBy(() -> Datasets.load(new DataSource.IdxFolder(dir.toString())))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(dir.resolve(Datasets.TEST_IMAGES).toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void differentImageSizesAreRejected() {
        IdxFiles.folder(dir, 4, 3, false);
        IdxFiles.write(dir, Datasets.TEST_IMAGES, IdxFiles.images(3, 5, 5));
        assertThatThrownBy(() -> Datasets.load(new DataSource.IdxFolder(dir.toString())))
                .isInstanceOf(NnException.class)
                .hasMessageContaining("4x3")
                .hasMessageContaining("5x5");
    }
}
