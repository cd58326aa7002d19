package org.nnlang.compiler.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnlang.compiler.TestSources;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;
import org.nnlang.runtime.train.TrainingJob;

/**
 * The whole pipeline against PyTorch: a small MLP written in {@code .nn}, compiled to one training graph and run on
 * the CPU backend, must produce PyTorch's loss at every step and PyTorch's weights after the last, starting from the
 * same weights on the same batches. Fixtures come from {@code scripts/reference/mlp_training.py}.
 */
class TrainingAgainstPyTorchTest {
    /** Our parameter names and their PyTorch {@code nn.Sequential} names. */
    private static final Map<String, String> TORCH_NAMES = Map.of("linear1.weight", "1.weight", "linear1.bias",
            "1.bias", "linear2.weight", "3.weight", "linear2.bias", "3.bias");

    static Stream<JsonObject> cases() throws Exception {
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                TrainingAgainstPyTorchTest.class.getResourceAsStream("/fixtures/mlp_training.json")),
                StandardCharsets.UTF_8)) {
            JsonArray cases = JsonParser.parseReader(reader).getAsJsonObject().getAsJsonArray("cases");
            List<JsonObject> result = new ArrayList<>();
            cases.forEach(c -> result.add(c.getAsJsonObject()));
            return result.stream();
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void matchesPyTorchStepByStep(JsonObject fixture) {
        String source = """
                model Tiny {
                    input x: [1, 3, 4]
                    flatten
                    linear(7)
                    relu
                    linear(4)
                }
                train Tiny {
                    data = fashion_mnist
                    loss = %s
                    optimizer = %s
                    batch = 5
                    %s
                }
                """.formatted(fixture.get("loss").getAsString(), fixture.get("optimizer").getAsString(),
                fixture.get("settings").getAsString());
        TrainingJob job = TestSources.compileClean(source).trainingJob(null).orElseThrow();
        ExecutionPlan plan = job.plan();
        try (Executable executable = new CpuBackend(2).load(plan, 5, new Rng(1))) {
            JsonObject initial = fixture.getAsJsonObject("initial");
            TORCH_NAMES.forEach((ours, theirs) -> copy(initial.getAsJsonArray(theirs),
                    executable.buffer(bufferNamed(plan, ours).id())));
            JsonArray steps = fixture.getAsJsonArray("steps");
            for (int s = 0; s < steps.size(); s++) {
                JsonObject step = steps.get(s).getAsJsonObject();
                copy(step.getAsJsonArray("inputs"), executable.buffer(plan.input()));
                copy(step.getAsJsonArray("labels"), executable.buffer(plan.target()));
                int n = step.getAsJsonArray("labels").size();
                float loss = executable.trainStep(n);
                assertThat((double) loss).as("loss of step %d", s + 1)
                        .isCloseTo(step.get("loss").getAsDouble(), within(2e-6));
            }
            JsonObject expected = fixture.getAsJsonObject("final");
            TORCH_NAMES.forEach((ours, theirs) -> {
                float[] actual = executable.buffer(bufferNamed(plan, ours).id());
                JsonArray want = expected.getAsJsonArray(theirs);
                for (int i = 0; i < want.size(); i++) {
                    assertThat((double) actual[i]).as("%s[%d] after the last step", ours, i)
                            .isCloseTo(want.get(i).getAsDouble(), within(2e-6));
                }
            });
        }
    }

    private static BufferSpec bufferNamed(ExecutionPlan plan, String name) {
        return plan.buffers().stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no buffer " + name));
    }

    private static void copy(JsonArray values, float[] into) {
        int i = 0;
        for (JsonElement v : values) {
            into[i++] = v.getAsFloat();
        }
    }
}
