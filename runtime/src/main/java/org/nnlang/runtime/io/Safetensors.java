package org.nnlang.runtime.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.nnlang.runtime.NnException;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, the format
 * PyTorch users exchange weights in ({@code safetensors.torch.save_file / load_file}). A file is:
 * <pre>
 *   8 bytes      N, the header's length in bytes: an unsigned 64-bit little-endian integer
 *   N bytes      the header: UTF-8 JSON, padded at the end with spaces so that 8 + N is a multiple of 8
 *                {"__metadata__": {"key": "value", ...},
 *                 "NAME": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
 *   the rest     the byte buffer: every tensor's elements, row-major and little-endian, at [begin, end) counted
 *                from the buffer's start; the tensors cover the buffer exactly, without gaps or overlaps
 * </pre>
 * {@code __metadata__} is optional and maps strings to strings. A tensor of shape {@code []} is a scalar (one
 * element); a dimension may be 0 (no elements, {@code begin == end}).
 *
 * <p>Writing follows the reference writer: tensors laid out in the byte order of their names' UTF-8 (all nnlang
 * tensors are F32, so the reference's first sort key, the dtype, is the same for all), the header as compact JSON
 * with {@code __metadata__} first (its keys sorted, so the same tensors always give the same bytes) and each tensor's
 * keys in the order {@code dtype, shape, data_offsets}. Files are written atomically (see {@link AtomicFiles}).
 *
 * <p>Reading checks everything the specification requires and refuses what nnlang cannot use: a header length that
 * does not fit the file, a header that is not UTF-8 JSON of the form above, data offsets outside the buffer,
 * overlapping or leaving gaps, a shape whose size does not match its bytes, and any dtype but {@code F32}. Every
 * problem is an {@link NnException} naming the file and, where there is one, the tensor.
 */
public final class Safetensors {
    /** The header length the reference implementation accepts at most (100 MB); larger means a damaged file. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The header key holding the string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    /** The dtypes of the specification; nnlang reads and writes {@code F32} only. */
    private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16",
            "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64");
    private static final Set<String> TENSOR_KEYS = Set.of("dtype", "shape", "data_offsets");
    private static final int CHUNK_BYTES = 1 << 16;

    private Safetensors() {
    }

    /**
     * One F32 tensor: its name, its shape, and its elements in row-major order.
     *
     * @param shape its dimensions; {@code []} for a scalar
     * @param data  exactly as many floats as the shape's product (the array is used as is, not copied)
     */
    public record Tensor(String name, int[] shape, float[] data) {
        public Tensor {
            if (name == null || shape == null || data == null) {
                throw new NullPointerException("name, shape and data must not be null");
            }
            shape = shape.clone();
            long size = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                            + Arrays.toString(shape));
                }
                size *= d;
            }
            if (size != data.length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                        + size + " elements but the data has " + data.length);
            }
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                    && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(shape);
        }
    }

    /**
     * What a file holds.
     *
     * @param file     where it was read from, for messages
     * @param metadata the {@code __metadata__} entries (empty if there were none), keys sorted
     * @param tensors  every tensor, in the order of their data in the file
     */
    public record Contents(Path file, Map<String, String> metadata, List<Tensor> tensors) {
        public Contents {
            metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
            tensors = List.copyOf(tensors);
        }

        /** The tensor called {@code name}, or null. */
        public Tensor tensor(String name) {
            for (Tensor t : tensors) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            return null;
        }

        /** The tensors' names, in file order. */
        public List<String> names() {
            return tensors.stream().map(Tensor::name).toList();
        }
    }

    // ----------------------------------------------------------------------------------------------- writing

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file} atomically: a failure leaves the file as it was.
     * Missing parent folders are created.
     *
     * @throws NnException if the file cannot be written (the message names it)
     * @throws IllegalArgumentException if two tensors share a name, a name is {@code __metadata__}, or a string is
     *                                  not valid Unicode
     */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        List<Tensor> ordered = layout(tensors);
        byte[] header = header(ordered, metadata);
        try {
            AtomicFiles.write(file, channel -> {
                ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.putLong(header.length).put(header).flip();
                writeFully(channel, prefix);
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor tensor : ordered) {
                    float[] data = tensor.data();
                    for (int i = 0; i < data.length; ) {
                        chunk.clear();
                        int n = Math.min(data.length - i, CHUNK_BYTES / Float.BYTES);
                        chunk.asFloatBuffer().put(data, i, n);
                        chunk.limit(n * Float.BYTES);
                        writeFully(channel, chunk);
                        i += n;
                    }
                }
            });
        } catch (IOException e) {
            throw new NnException("cannot write " + file + ": " + describe(e), e);
        }
    }

    /** The tensors in the order their data is laid out: by the UTF-8 bytes of their names, as the reference does. */
    static List<Tensor> layout(List<Tensor> tensors) {
        Set<String> names = new HashSet<>();
        for (Tensor t : tensors) {
            if (t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be called " + METADATA_KEY);
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("two tensors are called '" + t.name() + "'");
            }
        }
        List<Tensor> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.comparing(t -> utf8(t.name()), Arrays::compareUnsigned));
        return ordered;
    }

    /**
     * The header of a file holding {@code ordered} (already in layout order) and {@code metadata}, padded with spaces
     * to a multiple of 8 bytes.
     */
    static byte[] header(List<Tensor> ordered, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(Json.quote(METADATA_KEY)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
                utf8(entry.getKey());
                utf8(entry.getValue());
                json.append(separator).append(Json.quote(entry.getKey())).append(':')
                        .append(Json.quote(entry.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Tensor t : ordered) {
            if (json.length() > 1) {
                json.append(',');
            }
            long end = offset + (long) t.data().length * Float.BYTES;
            json.append(Json.quote(t.name())).append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] bytes = utf8(json.toString());
        int padded = (bytes.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(bytes, padded);
        Arrays.fill(header, bytes.length, padded, (byte) ' ');
        return header;
    }

    /** Strict UTF-8: a string with an unpaired surrogate cannot be written. */
    private static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            return Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'" + s + "' is not valid Unicode (unpaired surrogate)", e);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    // ----------------------------------------------------------------------------------------------- reading

    /** A tensor's entry in the header, before its data is read. */
    private record Entry(String name, int[] shape, long begin, long end) {
    }

    /**
     * Reads every tensor of {@code file}, checking the whole file against the specification first.
     *
     * @throws NnException if the file is missing, unreadable, damaged, or holds a tensor that is not F32
     */
    public static Contents read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw damaged(file, "it is only " + size + " bytes long, too short for the 8-byte header length "
                        + "that starts every safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > size - 8) {
                throw damaged(file, "its first 8 bytes say the header is " + Long.toUnsignedString(headerLength)
                        + " bytes long, but only " + (size - 8) + " bytes follow (a truncated file, or not a "
                        + "safetensors file)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw damaged(file, "its header would be " + headerLength + " bytes long, more than the "
                        + MAX_HEADER_BYTES + " a safetensors header may have");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            headerBytes.flip();
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(file, headerBytes, metadata);
            long dataStart = 8 + headerLength;
            checkLayout(file, entries, size - dataStart);
            List<Tensor> tensors = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                float[] data = new float[(int) ((e.end() - e.begin()) / Float.BYTES)];
                readFloats(channel, dataStart + e.begin(), data);
                tensors.add(new Tensor(e.name(), e.shape(), data));
            }
            return new Contents(file, metadata, tensors);
        } catch (NoSuchFileException e) {
            throw new NnException(file + ": no such file"
                    + (file.isAbsolute() ? "" : " (looked in " + file.toAbsolutePath().normalize() + ")"));
        } catch (EOFException e) {
            throw damaged(file, "it ended while being read (truncated, or changed by another program)");
        } catch (IOException e) {
            throw new NnException("cannot read " + file + ": " + describe(e), e);
        }
    }

    private static List<Entry> parseHeader(Path file, ByteBuffer bytes, Map<String, String> metadata) {
        if (!bytes.hasRemaining() || bytes.get(0) != '{') {
            throw damaged(file, "its header does not start with '{' (not a safetensors file?)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw damaged(file, "its header is not valid UTF-8");
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw damaged(file, "its header is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw damaged(file, "its header is not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> item : map.entrySet()) {
            String name = (String) item.getKey();
            Object value = item.getValue();
            if (name.equals(METADATA_KEY)) {
                if (!(value instanceof Map<?, ?> meta)) {
                    throw damaged(file, "its " + METADATA_KEY + " is not an object");
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String s)) {
                        throw damaged(file, "its " + METADATA_KEY + " entry \"" + m.getKey()
                                + "\" is not a string (metadata maps strings to strings)");
                    }
                    metadata.put((String) m.getKey(), s);
                }
                continue;
            }
            entries.add(entry(file, name, value));
        }
        return entries;
    }

    private static Entry entry(Path file, String name, Object value) {
        if (!(value instanceof Map<?, ?> info)) {
            throw damagedTensor(file, name, "its header entry is not an object");
        }
        for (Object key : info.keySet()) {
            if (!TENSOR_KEYS.contains(key)) {
                throw damagedTensor(file, name, "unknown key \"" + key + "\" in its header entry (expected "
                        + "dtype, shape and data_offsets)");
            }
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!info.containsKey(key)) {
                throw damagedTensor(file, name, "its header entry has no \"" + key + "\"");
            }
        }
        if (!(info.get("dtype") instanceof String dtype)) {
            throw damagedTensor(file, name, "its dtype is not a string");
        }
        if (!dtype.equals("F32")) {
            throw new NnException(file + ": tensor '" + name + "' has dtype " + dtype
                    + (KNOWN_DTYPES.contains(dtype) ? "" : " (not a dtype of the safetensors format)")
                    + "; nnlang reads only F32 (32-bit float) tensors"
                    + (KNOWN_DTYPES.contains(dtype) ? "; in PyTorch, save tensor.float() instead" : ""));
        }
        List<Long> dims = integers(file, name, info.get("shape"), "shape");
        List<Long> offsets = integers(file, name, info.get("data_offsets"), "data_offsets");
        if (offsets.size() != 2) {
            throw damagedTensor(file, name, "its data_offsets " + offsets + " are not two numbers [begin, end]");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (end < begin) {
            throw damagedTensor(file, name, "its data_offsets " + offsets + " end before they begin");
        }
        int[] shape = new int[dims.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = dims.get(i);
            if (d > Integer.MAX_VALUE) {
                throw damagedTensor(file, name, "its shape " + dims + " has a dimension too large for nnlang");
            }
            shape[i] = (int) d;
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw damagedTensor(file, name, "its shape " + dims + " has more elements than nnlang can hold");
            }
        }
        if (elements > Integer.MAX_VALUE - 8) {
            throw damagedTensor(file, name, "its shape " + dims + " has more elements than nnlang can hold");
        }
        if (elements * Float.BYTES != end - begin) {
            throw damagedTensor(file, name, "its shape " + dims + " needs " + elements * Float.BYTES
                    + " bytes as F32, but its data_offsets " + offsets + " hold " + (end - begin));
        }
        return new Entry(name, shape, begin, end);
    }

    private static List<Long> integers(Path file, String name, Object value, String key) {
        if (!(value instanceof List<?> list)) {
            throw damagedTensor(file, name, "its " + key + " is not an array");
        }
        List<Long> numbers = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Long n) || n < 0) {
                throw damagedTensor(file, name, "its " + key + " " + list + " holds something other than "
                        + "non-negative integers");
            }
            numbers.add(n);
        }
        return numbers;
    }

    /** The tensors must lie inside the byte buffer and cover it exactly: sorted by offset, each starts where the
     *  previous one ended. Sorts {@code entries} into that order. */
    private static void checkLayout(Path file, List<Entry> entries, long dataSize) {
        for (Entry e : entries) {
            if (e.end() > dataSize) {
                throw damagedTensor(file, e.name(), "its data_offsets [" + e.begin() + ", " + e.end()
                        + "] reach past the end of the data, which is " + dataSize + " bytes long (a truncated file?)");
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() < covered) {
                throw damagedTensor(file, e.name(), "its data_offsets [" + e.begin() + ", " + e.end()
                        + "] overlap those of tensor '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + "]");
            }
            if (e.begin() > covered) {
                throw damagedTensor(file, e.name(), "bytes " + covered + " to " + e.begin() + " before it belong to "
                        + "no tensor (a gap in the data, which the format forbids)");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw damaged(file, "its last " + (dataSize - covered) + " bytes (from byte " + covered + " of the data) "
                    + "belong to no tensor");
        }
    }

    private static void readFloats(FileChannel channel, long position, float[] into) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < into.length; ) {
            int n = Math.min(into.length - i, CHUNK_BYTES / Float.BYTES);
            chunk.clear().limit(n * Float.BYTES);
            readFully(channel, chunk, position + (long) i * Float.BYTES);
            chunk.flip();
            chunk.asFloatBuffer().get(into, i, n);
            i += n;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException();
            }
            at += n;
        }
    }

    private static NnException damaged(Path file, String why) {
        return new NnException(file + ": damaged safetensors file: " + why);
    }

    private static NnException damagedTensor(Path file, String tensor, String why) {
        return new NnException(file + ": damaged safetensors file: tensor '" + tensor + "': " + why);
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied" + (message != null ? " (" + message + ")" : "");
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + (fs.getFile() != null ? " (" + fs.getFile() + ")" : "");
        }
        return message != null ? message : kind;
    }
}
