package org.nnlang.runtime.optim;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The PyTorch optimizer trajectories in {@code fixtures/optimizers.json}, written by
 * {@code scripts/reference/optimizers.py}: a start vector, 5 gradients, and the parameters after each step.
 */
record OptimizerFixtures(String name, String optimizer, JsonObject hyper, float[] initial, float[][] grads,
                         float[][] params) {

    /** nnlang takes float hyperparameters; PyTorch used these as doubles (see the Adam Javadoc). */
    float hyper(String key) {
        return hyper.get(key).getAsFloat();
    }

    boolean flag(String key) {
        return hyper.get(key).getAsBoolean();
    }

    static List<OptimizerFixtures> load(String... optimizers) {
        List<String> wanted = List.of(optimizers);
        List<OptimizerFixtures> cases = new ArrayList<>();
        try (Reader reader = new InputStreamReader(
                OptimizerFixtures.class.getResourceAsStream("/fixtures/optimizers.json"), StandardCharsets.UTF_8)) {
            for (JsonElement element : JsonParser.parseReader(reader).getAsJsonObject().getAsJsonArray("cases")) {
                JsonObject c = element.getAsJsonObject();
                if (wanted.contains(c.get("optimizer").getAsString())) {
                    cases.add(new OptimizerFixtures(c.get("name").getAsString(), c.get("optimizer").getAsString(),
                            c.getAsJsonObject("hyper"), floats(c.getAsJsonArray("initial")),
                            matrix(c.getAsJsonArray("grads")), matrix(c.getAsJsonArray("params"))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(cases).as("fixture cases for %s", wanted).isNotEmpty();
        return cases;
    }

    /** Compares one step's parameters with PyTorch's, naming the case, step and index on failure. */
    void assertStep(int step, float[] actual) {
        float[] expected = params[step - 1];
        for (int k = 0; k < expected.length; k++) {
            assertThat(Math.abs(actual[k] - expected[k]))
                    .as("%s (%s), step %d, param[%d]: nnlang %s, PyTorch %s", name, hyper, step, k, actual[k],
                            expected[k])
                    .isLessThanOrEqualTo(1e-6f * Math.abs(expected[k]) + 1e-7f);
        }
    }

    private static float[][] matrix(JsonArray rows) {
        float[][] m = new float[rows.size()][];
        for (int r = 0; r < m.length; r++) {
            m[r] = floats(rows.get(r).getAsJsonArray());
        }
        return m;
    }

    private static float[] floats(JsonArray array) {
        float[] a = new float[array.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = array.get(k).getAsFloat();
        }
        return a;
    }

    @Override
    public String toString() {
        return name;
    }
}
