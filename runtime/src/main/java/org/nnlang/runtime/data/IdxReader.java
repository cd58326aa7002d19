package org.nnlang.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nnlang.runtime.NnException;

/**
 * Reads the IDX files MNIST and Fashion-MNIST come in, gzipped or raw.
 *
 * <p>The format (<a href="http://yann.lecun.com/exdb/mnist/">LeCun et al.</a>), all integers big-endian:
 * <pre>
 * 0x00 0x00 &lt;type&gt; &lt;dims&gt;          magic: two zero bytes, element type (0x08 = unsigned byte), dimension count
 * dims × uint32                     the size of each dimension: [count, rows, cols] for images, [count] for labels
 * count × rows × cols elements      the data, row-major, with nothing after it
 * </pre>
 * A file is gunzipped when it starts with the gzip magic {@code 1f 8b}, whatever its name says. Every problem, from a
 * missing file to a byte too many, is an {@link NnException} whose message names the file, says what is wrong and
 * what was expected; no {@link IOException} escapes.
 */
public final class IdxReader {
    /** The only element type nnlang reads: unsigned bytes, as every MNIST-format data set uses. */
    static final int TYPE_UNSIGNED_BYTE = 0x08;

    private static final int BUFFER = 1 << 16;

    /**
     * The images of an IDX3 file, as stored: {@code count × rows × cols} unsigned bytes, row-major.
     *
     * @param source the file they came from, for messages
     */
    public record Images(String source, int count, int rows, int cols, byte[] pixels) {
        /** Pixel {@code (row, col)} of image {@code image}, as an int in 0..255. */
        public int pixel(int image, int row, int col) {
            return pixels[(image * rows + row) * cols + col] & 0xff;
        }
    }

    private IdxReader() {
    }

    /** Reads an images file ({@code …-images-idx3-ubyte}, optionally gzipped). */
    public static Images readImages(Path path) {
        try (InputStream in = open(path)) {
            return readImages(path.toString(), in);
        } catch (IOException e) {
            throw new NnException(path + ": cannot read: " + describe(e), e);
        }
    }

    /**
     * Reads an images file from a stream, which it does not close.
     *
     * @param name what messages call the file
     */
    public static Images readImages(String name, InputStream in) {
        int[] dims = new int[3];
        byte[] pixels = read(name, in, dims);
        return new Images(name, dims[0], dims[1], dims[2], pixels);
    }

    /** Reads a labels file ({@code …-labels-idx1-ubyte}, optionally gzipped): one unsigned byte per sample. */
    public static int[] readLabels(Path path) {
        try (InputStream in = open(path)) {
            return readLabels(path.toString(), in);
        } catch (IOException e) {
            throw new NnException(path + ": cannot read: " + describe(e), e);
        }
    }

    /**
     * Reads a labels file from a stream, which it does not close.
     *
     * @param name what messages call the file
     */
    public static int[] readLabels(String name, InputStream in) {
        byte[] raw = read(name, in, new int[1]);
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = raw[i] & 0xff;
        }
        return labels;
    }

    private static InputStream open(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new NnException(path + ": is a folder, expected an IDX file");
            }
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new NnException(path + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new NnException(path + ": cannot read: permission denied", e);
        } catch (IOException e) {
            throw new NnException(path + ": cannot read: " + describe(e), e);
        }
    }

    /**
     * Reads one IDX file of unsigned bytes with {@code dims.length} dimensions, filling {@code dims} with their sizes
     * and returning the data.
     */
    private static byte[] read(String name, InputStream raw, int[] dims) {
        String what = dims.length == 3 ? "images" : "labels";
        boolean gzipped = false;
        long[] got = {0};
        long expected = -1;
        try {
            InputStream in = new BufferedInputStream(raw, BUFFER);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 < 0) {
                throw new NnException(name + ": empty file, expected an IDX file of " + what);
            }
            if (b0 == 0x1f && b1 == 0x8b) {
                gzipped = true;
                in = new GZIPInputStream(in, BUFFER);
            }
            String after = gzipped ? " after decompression" : "";

            byte[] magic = new byte[4];
            int n = readFully(in, magic, 0, 4, got);
            if (n < 4) {
                throw new NnException(name + ": truncated: the file" + after + " holds " + plural(n, "byte")
                        + ", fewer than the 4-byte IDX magic number");
            }
            String expectedMagic = String.format(Locale.ROOT, "00 00 08 %02x", dims.length);
            if (magic[0] != 0 || magic[1] != 0) {
                throw new NnException(name + ": not an IDX file: it starts with " + hex(magic) + after
                        + ", expected " + expectedMagic + " (an IDX file of unsigned bytes with " + dims.length
                        + (dims.length == 1 ? " dimension" : " dimensions") + ")");
            }
            int type = magic[2] & 0xff;
            if (type != TYPE_UNSIGNED_BYTE) {
                throw new NnException(String.format(Locale.ROOT,
                        "%s: element type 0x%02x (%s), expected 0x08 (unsigned byte): nnlang reads MNIST-format "
                                + "IDX files of unsigned bytes", name, type, typeName(type)));
            }
            int dimCount = magic[3] & 0xff;
            if (dimCount != dims.length) {
                throw new NnException(name + ": " + plural(dimCount, "dimension") + ", expected " + dims.length
                        + (dims.length == 3
                        ? " (images x rows x columns); is this a labels file?"
                        : " (one label per sample); is this an images file?"));
            }

            byte[] sizeBytes = new byte[4 * dims.length];
            n = readFully(in, sizeBytes, 0, sizeBytes.length, got);
            if (n < sizeBytes.length) {
                throw new NnException(name + ": truncated: the file" + after + " ends inside its " + (4 + 4 * dims.length)
                        + "-byte header");
            }
            long total = 1;
            for (int d = 0; d < dims.length; d++) {
                long size = ((sizeBytes[4 * d] & 0xffL) << 24) | ((sizeBytes[4 * d + 1] & 0xffL) << 16)
                        | ((sizeBytes[4 * d + 2] & 0xffL) << 8) | (sizeBytes[4 * d + 3] & 0xffL);
                if (size > Integer.MAX_VALUE || (d > 0 && size == 0)) {
                    throw new NnException(name + ": dimension " + d + " of the header is " + size
                            + ", expected a size between 1 and " + Integer.MAX_VALUE);
                }
                dims[d] = (int) size;
                total *= size;
                if (total > Integer.MAX_VALUE - 8) {
                    throw new NnException(name + ": header promises more than 2^31 bytes of " + what
                            + "; nnlang holds a data set in memory, in arrays of at most that size");
                }
            }
            expected = total;
            String promise = promise(dims, total);

            byte[] data = new byte[(int) total];
            long headerBytes = got[0];
            got[0] = 0;
            n = readFully(in, data, 0, data.length, got);
            if (n < data.length) {
                throw new NnException(name + ": truncated: header promises " + promise + " but only "
                        + plural(n, "byte") + " follow its " + headerBytes + "-byte header"
                        + (gzipped ? " (after decompression)" : ""));
            }
            long extra = 0;
            byte[] skip = new byte[BUFFER];
            for (int r; (r = in.read(skip)) > 0; ) {
                extra += r;
            }
            if (extra > 0) {
                throw new NnException(name + ": " + plural(extra, "byte") + " of trailing data after the " + promise
                        + " the header promises; expected the file to end there");
            }
            return data;
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed stream stops before its end marker.
            String message = name + ": truncated: the gzip stream ends early";
            if (expected >= 0) {
                message += ", after " + String.format(Locale.ROOT, "%,d", got[0]) + " of the "
                        + promise(dims, expected) + " the header promises";
            }
            throw new NnException(message, e);
        } catch (ZipException e) {
            throw new NnException(name + ": damaged gzip data (" + describe(e) + ")", e);
        } catch (IOException e) {
            throw new NnException(name + ": cannot read: " + describe(e), e);
        }
    }

    /** Reads until {@code len} bytes are in or the stream ends; returns how many came, adding them to counter[0]. */
    private static int readFully(InputStream in, byte[] buffer, int offset, int len, long[] counter) throws IOException {
        int done = 0;
        while (done < len) {
            int r = in.read(buffer, offset + done, len - done);
            if (r < 0) {
                break;
            }
            done += r;
            counter[0] += r;
        }
        return done;
    }

    private static String promise(int[] dims, long total) {
        if (dims.length == 3) {
            return String.format(Locale.ROOT, "%,d images of %dx%d (%,d bytes)", dims[0], dims[1], dims[2], total);
        }
        return String.format(Locale.ROOT, "%,d labels (%,d bytes)", dims[0], total);
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x08: return "unsigned byte";
            case 0x09: return "signed byte";
            case 0x0B: return "16-bit integer";
            case 0x0C: return "32-bit integer";
            case 0x0D: return "32-bit float";
            case 0x0E: return "64-bit float";
            default: return "not an IDX type";
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return out.toString();
    }

    private static String plural(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
