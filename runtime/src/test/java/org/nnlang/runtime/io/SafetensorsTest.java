package org.nnlang.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Executable;

/**
 * The safetensors reader and writer: the exact bytes written, files written by PyTorch (see
 * scripts/reference/safetensors_fixtures.py), every kind of damage, and atomic writes.
 */
class SafetensorsTest {
    /** Regenerates the committed nnlang-written.safetensors: {@code -Dsafetensors.update=true}. */
    private static final boolean UPDATE = Boolean.getBoolean("safetensors.update");
    private static final Path NNLANG_WRITTEN = Path.of("src/test/resources/fixtures/nnlang-written.safetensors");

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------------ layout

    @Test
    void writesTheExactBytesOfTheSpecification() throws Exception {
        Path file = dir.resolve("w.safetensors");
        // Given out of name order: the writer lays them out by name, as the reference writer does.
        Safetensors.write(file, List.of(
                new Safetensors.Tensor("b", new int[] {}, new float[] {-2.5f}),
                new Safetensors.Tensor("a", new int[] {2}, new float[] {1f, 0.5f})), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        assertThat(padded).isGreaterThan(json.length()); // the case with padding, not a lucky multiple of 8
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getLong(0)).as("header length, little-endian u64").isEqualTo(padded);
        assertThat((8 + padded) % 8).isZero();
        assertThat(new String(bytes, 8, json.length(), StandardCharsets.UTF_8)).isEqualTo(json);
        for (int i = 8 + json.length(); i < 8 + padded; i++) {
            assertThat(bytes[i]).as("padding byte %d", i).isEqualTo((byte) ' ');
        }
        assertThat(bytes).hasSize(8 + padded + 12);
        assertThat(buffer.getFloat(8 + padded)).isEqualTo(1f);
        assertThat(buffer.getFloat(8 + padded + 4)).isEqualTo(0.5f);
        assertThat(buffer.getFloat(8 + padded + 8)).isEqualTo(-2.5f);
        assertThat(Arrays.copyOfRange(bytes, 8 + padded, 8 + padded + 4))
                .as("1.0f little-endian").containsExactly(0, 0, (byte) 0x80, 0x3f);
    }

    @Test
    void headerWithoutMetadataHasNoMetadataKeyAndAHeaderOfAMultipleOf8IsNotPadded() throws Exception {
        Path file = dir.resolve("w.safetensors");
        // {"xyz":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} is 56 bytes long: no padding.
        Safetensors.write(file, List.of(new Safetensors.Tensor("xyz", new int[] {1}, new float[] {3f})), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"xyz\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertThat(json.length() % 8).isZero();
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(json.length());
        assertThat(new String(bytes, 8, json.length(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(bytes).hasSize(8 + json.length() + 4);
    }

    @Test
    void roundTripKeepsEveryBitNameAndMetadata() {
        Path file = dir.resolve("round.safetensors");
        float[] special = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN, 1e-38f, 7f};
        float[] big = new float[70_000]; // more than one 64 KiB chunk
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.25f - 3;
        }
        List<Safetensors.Tensor> tensors = List.of(
                new Safetensors.Tensor("special", new int[] {7}, special),
                new Safetensors.Tensor("big", new int[] {700, 100}, big),
                new Safetensors.Tensor("scalar", new int[] {}, new float[] {42f}),
                new Safetensors.Tensor("empty", new int[] {0, 3}, new float[0]),
                new Safetensors.Tensor("gewicht.ü \"quoted\" \\ 🙂", new int[] {1, 1, 1}, new float[] {1f}));
        Map<String, String> metadata = Map.of("format", "test", "note", "line\nbreak \"quoted\" \u0001 ü");
        Safetensors.write(file, tensors, metadata);

        Safetensors.Contents back = Safetensors.read(file);
        assertThat(back.metadata()).isEqualTo(metadata);
        assertThat(back.tensors()).containsExactlyInAnyOrderElementsOf(tensors);
        assertThat(Float.floatToRawIntBits(back.tensor("special").data()[0])).isEqualTo(0x80000000); // -0.0
        assertThat(back.tensor("special").data()[4]).isNaN();
        assertThat(back.names()).as("file order is name order")
                .containsExactly("big", "empty", "gewicht.ü \"quoted\" \\ 🙂", "scalar", "special");
    }

    @Test
    void writerRejectsDuplicateAndReservedNames() {
        Safetensors.Tensor a = new Safetensors.Tensor("a", new int[] {1}, new float[] {1});
        assertThatThrownBy(() -> Safetensors.write(dir.resolve("x"), List.of(a, a), Map.of()))
                .hasMessageContaining("two tensors are called 'a'");
        assertThatThrownBy(() -> Safetensors.write(dir.resolve("x"),
                List.of(new Safetensors.Tensor("__metadata__", new int[] {1}, new float[] {1})), Map.of()))
                .hasMessageContaining("__metadata__");
        assertThatThrownBy(() -> new Safetensors.Tensor("t", new int[] {2, 2}, new float[3]))
                .hasMessageContaining("[2, 2] holds 4 elements but the data has 3");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    // ------------------------------------------------------------------------------------------ PyTorch files

    @Test
    void readsTheFileWrittenFromPyTorch() throws Exception {
        Safetensors.Contents contents = Safetensors.read(fixture("torch-written.safetensors"));
        JsonObject expected = torchFixture();
        Map<String, String> metadata = new LinkedHashMap<>();
        expected.getAsJsonObject("metadata").entrySet().forEach(e -> metadata.put(e.getKey(), e.getValue().getAsString()));
        assertThat(contents.metadata()).isEqualTo(metadata);
        JsonObject tensors = expected.getAsJsonObject("tensors");
        assertThat(contents.names()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
        for (String name : tensors.keySet()) {
            JsonObject t = tensors.getAsJsonObject(name);
            int[] shape = ints(t.getAsJsonArray("shape"));
            float[] values = floats(t.getAsJsonArray("values"));
            assertThat(contents.tensor(name).shape()).as(name).containsExactly(shape);
            assertThat(contents.tensor(name).data()).as(name).containsExactly(values);
        }
        assertThat(contents.tensor("linear1.weight").shape()).containsExactly(8, 16); // PyTorch's [out, in]
    }

    @Test
    void rewritingThePyTorchFileGivesTheSameBytes() throws Exception {
        Path torch = fixture("torch-written.safetensors");
        Safetensors.Contents contents = Safetensors.read(torch);
        Path again = dir.resolve("again.safetensors");
        Safetensors.write(again, contents.tensors(), contents.metadata());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(torch));
    }

    /**
     * The checkpoint scripts/reference/safetensors_fixtures.py reads back in PyTorch. Regenerate it with
     * {@code -Dsafetensors.update=true}, then run the script.
     */
    @Test
    void nnlangWrittenFixtureIsWhatTheWriterWrites() throws Exception {
        Path fresh = dir.resolve("nnlang-written.safetensors");
        try (Executable executable = TinyPlan.load(TinyPlan.tinyNet(), 0)) {
            TinyPlan.fillWithPattern(executable);
            Checkpoints.save(executable, UPDATE ? NNLANG_WRITTEN : fresh, true);
        }
        if (UPDATE) {
            return;
        }
        Safetensors.Contents committed = Safetensors.read(NNLANG_WRITTEN);
        Safetensors.Contents now = Safetensors.read(fresh);
        assertThat(committed.tensors()).isEqualTo(now.tensors());
        Map<String, String> metadata = new LinkedHashMap<>(now.metadata());
        metadata.put("nnlang_version", committed.metadata().get("nnlang_version"));
        assertThat(committed.metadata()).isEqualTo(metadata);
        // And byte for byte: the same tensors and metadata are written as the committed file is.
        Path rewritten = dir.resolve("rewritten.safetensors");
        Safetensors.write(rewritten, committed.tensors(), committed.metadata());
        assertThat(Files.readAllBytes(rewritten)).isEqualTo(Files.readAllBytes(NNLANG_WRITTEN));
    }

    // ------------------------------------------------------------------------------------------ damaged files

    @Test
    void fileShorterThanTheHeaderLength() throws Exception {
        Path file = Files.write(dir.resolve("short.safetensors"), new byte[] {1, 2, 3, 4, 5});
        assertDamaged(file, "only 5 bytes long");
        assertDamaged(Files.write(dir.resolve("empty.safetensors"), new byte[0]), "only 0 bytes long");
    }

    @Test
    void truncatedHeader() throws Exception {
        Path good = validFile();
        byte[] bytes = Files.readAllBytes(good);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(headerLength).isGreaterThan(32);
        Path file = Files.write(dir.resolve("cut.safetensors"), Arrays.copyOf(bytes, 40));
        assertDamaged(file, "header is " + headerLength + " bytes long, but only 32 bytes follow");
    }

    @Test
    void headerLengthLargerThanTheFileOrNegative() throws Exception {
        assertDamaged(withHeaderLength(1L << 40), "header is 1099511627776 bytes long");
        assertDamaged(withHeaderLength(-1L), "header is 18446744073709551615 bytes long");
    }

    @Test
    void notJsonOrNotTheRightJson() throws Exception {
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",}}", 0), "not valid JSON: unexpected '}'");
        assertDamaged(withHeader("[1, 2]", 0), "does not start with '{'");
        assertDamaged(withHeader("{\"a\": 1} x", 0), "after the end of the JSON value");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8),
                "only integers");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "duplicate key \"a\"");
        assertDamaged(withHeader("{\"__metadata__\":{\"epoch\":3}}", 0), "entry \"epoch\" is not a string");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":[]}}", 8),
                "tensor 'a': unknown key \"x\"");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "tensor 'a': its header entry has "
                + "no \"data_offsets\"");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a': its shape [-2] holds something other than non-negative integers");
        byte[] latin1 = "{\"gr\u00fc\u00df\":1}".getBytes(StandardCharsets.ISO_8859_1);
        assertDamaged(withHeaderBytes(latin1, 0), "not valid UTF-8");
    }

    @Test
    void overlappingOffsetsNameBothTensors() throws Exception {
        Path file = withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertDamaged(file, "tensor 'b': its data_offsets [4, 12] overlap those of tensor 'a' [0, 8]");
    }

    @Test
    void gapsAndBytesAfterTheLastTensor() throws Exception {
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20),
                "tensor 'b': bytes 8 to 12 before it belong to no tensor");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12),
                "its last 4 bytes (from byte 8 of the data) belong to no tensor");
    }

    @Test
    void offsetsPastTheEndOfTheFile() throws Exception {
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10),
                "tensor 'a': its data_offsets [0, 16] reach past the end of the data, which is 10 bytes long");
        // A good file cut in its data.
        byte[] bytes = Files.readAllBytes(validFile());
        Path cut = Files.write(dir.resolve("cut-data.safetensors"), Arrays.copyOf(bytes, bytes.length - 3));
        assertDamaged(cut, "reach past the end of the data");
    }

    @Test
    void otherDtypesAreRefusedNamingTheTensor() throws Exception {
        Path f16 = withHeader("{\"half\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
        assertThatThrownBy(() -> Safetensors.read(f16)).isInstanceOf(NnException.class)
                .hasMessageStartingWith(f16.toString())
                .hasMessageContaining("tensor 'half' has dtype F16; nnlang reads only F32")
                .hasMessageContaining("tensor.float()");
        Path unknown = withHeader("{\"q\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,1]}}", 1);
        assertThatThrownBy(() -> Safetensors.read(unknown)).isInstanceOf(NnException.class)
                .hasMessageContaining("tensor 'q' has dtype Q4 (not a dtype of the safetensors format)");
    }

    @Test
    void shapeThatDoesNotMatchTheBytes() throws Exception {
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a': its shape [3] needs 12 bytes as F32, but its data_offsets [0, 8] hold 8");
        assertDamaged(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8),
                "tensor 'a': its data_offsets [8, 0] end before they begin");
    }

    @Test
    void missingFileIsAUserError() {
        Path file = dir.resolve("nothing.safetensors");
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(NnException.class)
                .hasMessage(file + ": no such file");
    }

    // ------------------------------------------------------------------------------------------ atomic writes

    @Test
    void writeLeavesNoTemporaryFileAndReplacesTheOldFile() throws Exception {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old");
        Safetensors.write(file, List.of(new Safetensors.Tensor("a", new int[] {1}, new float[] {1})), Map.of());
        assertThat(Safetensors.read(file).tensor("a").data()).containsExactly(1f);
        assertThat(listing()).containsExactly("w.safetensors");
    }

    @Test
    void failureMidWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old content");
        assertThatThrownBy(() -> AtomicFiles.write(file, channel -> {
            channel.write(ByteBuffer.wrap("half of the new con".getBytes(StandardCharsets.UTF_8)));
            throw new IOException("No space left on device");
        })).isInstanceOf(IOException.class).hasMessage("No space left on device");
        assertThat(Files.readString(file)).isEqualTo("old content");
        assertThat(listing()).containsExactly("w.safetensors");

        // Not only I/O errors: anything thrown while writing.
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("new.safetensors"), channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IllegalStateException("crash");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(listing()).containsExactly("w.safetensors");
    }

    @Test
    void unwritableDestinationIsAUserErrorNamingTheFile() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notAFolder.resolve("w.safetensors");
        assertThatThrownBy(() -> Safetensors.write(file,
                List.of(new Safetensors.Tensor("a", new int[] {1}, new float[] {1})), Map.of()))
                .isInstanceOf(NnException.class).hasMessageStartingWith("cannot write " + file + ": ");
        assertThat(listing()).containsExactly("plain-file");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void assertDamaged(Path file, String detail) {
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(NnException.class)
                .hasMessageStartingWith(file + ": damaged safetensors file: ")
                .hasMessageContaining(detail);
    }

    private Path validFile() {
        Path file = dir.resolve("valid.safetensors");
        Safetensors.write(file, List.of(new Safetensors.Tensor("a", new int[] {2, 3}, new float[6])), Map.of());
        return file;
    }

    private int counter;

    /** A file with this header (padded to 8 bytes) followed by {@code dataBytes} zero bytes. */
    private Path withHeader(String json, int dataBytes) throws IOException {
        return withHeaderBytes(json.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private Path withHeaderBytes(byte[] json, int dataBytes) throws IOException {
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        while (b.position() < 8 + padded) {
            b.put((byte) ' ');
        }
        return Files.write(dir.resolve("damaged-" + counter++ + ".safetensors"), b.array());
    }

    private Path withHeaderLength(long length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put("{}".getBytes(StandardCharsets.UTF_8));
        return Files.write(dir.resolve("length-" + counter++ + ".safetensors"), b.array());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Path fixture(String name) throws Exception {
        return Path.of(SafetensorsTest.class.getResource("/fixtures/" + name).toURI());
    }

    static JsonObject torchFixture() throws IOException {
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/fixtures/torch-written.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    static int[] ints(com.google.gson.JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    static float[] floats(com.google.gson.JsonArray array) {
        float[] out = new float[array.size()];
        int i = 0;
        for (JsonElement e : array) {
            out[i++] = (float) e.getAsDouble();
        }
        return out;
    }
}
