package org.nnlang.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, well-formed or deliberately damaged. */
final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file of unsigned bytes: magic, sizes, data. */
    static byte[] idx(int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(0);
            out.writeByte(0);
            out.writeByte(IdxReader.TYPE_UNSIGNED_BYTE);
            out.writeByte(dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Image {@code i} has every pixel equal to {@code (i * 7 + p) % 256} for pixel {@code p}. */
    static byte[] images(int count, int rows, int cols) {
        byte[] data = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) {
                data[i * rows * cols + p] = (byte) ((i * 7 + p) % 256);
            }
        }
        return idx(new int[] {count, rows, cols}, data);
    }

    /** Label {@code i} is {@code i % 10}. */
    static byte[] labels(int count) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) {
            data[i] = (byte) (i % 10);
        }
        return idx(new int[] {count}, data);
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            Path path = dir.resolve(name);
            Files.write(path, content);
            return path;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A complete MNIST-format folder: {@code train} and {@code test} samples of 4×3, gzipped or raw. */
    static Path folder(Path dir, int train, int test, boolean gzipped) {
        String ext = gzipped ? ".gz" : "";
        write(dir, Datasets.TRAIN_IMAGES + ext, maybeGzip(images(train, 4, 3), gzipped));
        write(dir, Datasets.TRAIN_LABELS + ext, maybeGzip(labels(train), gzipped));
        write(dir, Datasets.TEST_IMAGES + ext, maybeGzip(images(test, 4, 3), gzipped));
        write(dir, Datasets.TEST_LABELS + ext, maybeGzip(labels(test), gzipped));
        return dir;
    }

    private static byte[] maybeGzip(byte[] raw, boolean gzipped) {
        return gzipped ? gzip(raw) : raw;
    }
}
