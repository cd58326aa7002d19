package org.nnlang.runtime.kernels;

import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch reference values of {@code scripts/reference/cnn_ops.py} ({@code fixtures/cnn_ops.json}) and the
 * comparison the conformance tests share.
 *
 * <p>Default tolerance: {@code |nnlang − PyTorch| ≤ 1e-5·|PyTorch| + 1e-6}. Both sides compute in float32 but
 * sum in different orders (and nnlang sums long reductions in double), so a convolution output or a gradient
 * summed over a batch differs by a few float ulps of its terms: the largest difference in the fixture is about
 * 1.4e-6 on an entry of 0.29. A wrong index, stride or scale changes entries by ~0.1 or more.
 */
final class CnnFixtures {
    static final double RELATIVE = 1e-5;
    static final double ABSOLUTE = 1e-6;

    private static JsonObject document;

    private CnnFixtures() {
    }

    /** The cases of one section ({@code "conv2d"}, {@code "max_pool2d"}, ...). */
    static List<JsonObject> cases(String section) {
        List<JsonObject> cases = new ArrayList<>();
        for (JsonElement element : document().getAsJsonArray(section)) {
            cases.add(element.getAsJsonObject());
        }
        if (cases.isEmpty()) {
            fail("fixture section %s is empty", section);
        }
        return cases;
    }

    /** A float array from the case, or {@code null} where the fixture holds {@code null} (e.g. no bias). */
    static float[] floats(JsonObject c, String key) {
        JsonElement element = c.get(key);
        return element == null || element.isJsonNull() ? null : floats(element.getAsJsonArray());
    }

    static float[] floats(JsonArray array) {
        float[] a = new float[array.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = array.get(k).getAsFloat();
        }
        return a;
    }

    static int[] ints(JsonObject c, String key) {
        JsonArray array = c.getAsJsonArray(key);
        int[] a = new int[array.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = array.get(k).getAsInt();
        }
        return a;
    }

    static int integer(JsonObject c, String key) {
        return c.get(key).getAsInt();
    }

    /** Entry-by-entry comparison with {@link #RELATIVE} and {@link #ABSOLUTE}; the message names case and entry. */
    static void assertMatchesPyTorch(JsonObject c, String what, float[] actual, float[] pytorch) {
        assertMatchesPyTorch(c, what, actual, pytorch, RELATIVE, ABSOLUTE);
    }

    static void assertMatchesPyTorch(JsonObject c, String what, float[] actual, float[] pytorch, double relative,
                                     double absolute) {
        String name = c.get("name").getAsString();
        if (actual.length != pytorch.length) {
            fail("case '%s': %s has %d entries, PyTorch has %d", name, what, actual.length, pytorch.length);
        }
        for (int k = 0; k < pytorch.length; k++) {
            double error = Math.abs((double) actual[k] - pytorch[k]);
            if (!(error <= absolute + relative * Math.abs(pytorch[k]))
                    && !(Float.isInfinite(pytorch[k]) && actual[k] == pytorch[k])) {
                fail("case '%s': %s[%d] = %.9g in nnlang but %.9g in PyTorch (difference %.3g)",
                        name, what, k, actual[k], pytorch[k], error);
            }
        }
    }

    private static synchronized JsonObject document() {
        if (document == null) {
            try (Reader reader = new InputStreamReader(
                    CnnFixtures.class.getResourceAsStream("/fixtures/cnn_ops.json"), StandardCharsets.UTF_8)) {
                document = JsonParser.parseReader(reader).getAsJsonObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return document;
    }
}
