package org.nnlang.runtime.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnlang.runtime.NnException;

class IdxReaderTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzipped = {0}")
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsBackAsWritten(boolean gzipped) {
        byte[] images = IdxFiles.images(5, 4, 3);
        byte[] labels = IdxFiles.labels(5);
        // The name says nothing about compression: the reader goes by the gzip magic bytes.
        Path imagePath = IdxFiles.write(dir, "images", gzipped ? IdxFiles.gzip(images) : images);
        Path labelPath = IdxFiles.write(dir, "labels", gzipped ? IdxFiles.gzip(labels) : labels);

        IdxReader.Images read = IdxReader.readImages(imagePath);
        assertThat(read.count()).isEqualTo(5);
        assertThat(read.rows()).isEqualTo(4);
        assertThat(read.cols()).isEqualTo(3);
        assertThat(read.pixels()).isEqualTo(Arrays.copyOfRange(images, 16, images.length));
        assertThat(read.pixel(2, 1, 2)).isEqualTo((2 * 7 + 1 * 3 + 2) % 256);
        assertThat(IdxReader.readLabels(labelPath)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void readsBytesAbove127AsUnsigned() {
        Path path = IdxFiles.write(dir, "labels", IdxFiles.idx(new int[] {2}, new byte[] {(byte) 200, (byte) 255}));
        assertThat(IdxReader.readLabels(path)).containsExactly(200, 255);
    }

    @Test
    void badMagicIsNamed() {
        Path path = IdxFiles.write(dir, "train-images-idx3-ubyte", "\u0089PNG and so on".getBytes());
        assertThatThrownBy(() -> IdxReader.readImages(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("not an IDX file")
                .hasMessageContaining("expected 00 00 08 03");
    }

    @Test
    void wrongTypeByteIsNamed() {
        byte[] bytes = IdxFiles.images(2, 2, 2);
        bytes[2] = 0x0D;
        Path path = IdxFiles.write(dir, "train-images-idx3-ubyte", bytes);
        assertThatThrownBy(() -> IdxReader.readImages(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("element type 0x0d (32-bit float)")
                .hasMessageContaining("expected 0x08");
    }

    @Test
    void labelsFileReadAsImagesSaysSo() {
        Path path = IdxFiles.write(dir, "t10k-images-idx3-ubyte", IdxFiles.labels(3));
        assertThatThrownBy(() -> IdxReader.readImages(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("1 dimension, expected 3");
    }

    @ParameterizedTest(name = "gzipped = {0}")
    @ValueSource(booleans = {false, true})
    void truncatedDataSaysWhatTheHeaderPromised(boolean gzipped) {
        byte[] whole = IdxFiles.images(10, 28, 28);
        byte[] cut = Arrays.copyOf(whole, 16 + 1234);
        Path path = IdxFiles.write(dir, "train-images-idx3-ubyte.gz", gzipped ? IdxFiles.gzip(cut) : cut);
        assertThatThrownBy(() -> IdxReader.readImages(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("truncated: header promises 10 images of 28x28 (7,840 bytes)")
                .hasMessageContaining("1,234 bytes");
    }

    @Test
    void truncatedGzipStreamIsNamed() {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(10, 28, 28));
        Path path = IdxFiles.write(dir, "images.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedHeaderIsNamed() {
        Path path = IdxFiles.write(dir, "labels", Arrays.copyOf(IdxFiles.labels(3), 6));
        assertThatThrownBy(() -> IdxReader.readLabels(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("ends inside its 8-byte header");
    }

    @Test
    void emptyFileIsNamed() {
        Path path = IdxFiles.write(dir, "labels", new byte[0]);
        assertThatThrownBy(() -> IdxReader.readLabels(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("empty file");
    }

    @Test
    void trailingGarbageIsNamed() {
        byte[] good = IdxFiles.labels(3);
        byte[] longer = Arrays.copyOf(good, good.length + 5);
        Path path = IdxFiles.write(dir, "labels", longer);
        assertThatThrownBy(() -> IdxReader.readLabels(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("5 bytes of trailing data after the 3 labels");
    }

    @Test
    void damagedGzipIsNamed() {
        byte[] gz = IdxFiles.gzip(IdxFiles.labels(100));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= 0x5a;
        }
        Path path = IdxFiles.write(dir, "labels.gz", gz);
        assertThatThrownBy(() -> IdxReader.readLabels(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString());
    }

    @Test
    void missingFileIsNamed() {
        Path path = dir.resolve("nothing-here");
        assertThatThrownBy(() -> IdxReader.readLabels(path))
                .isInstanceOf(NnException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining("no such file");
    }
}
