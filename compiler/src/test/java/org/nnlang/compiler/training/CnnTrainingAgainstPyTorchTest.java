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
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nnlang.compiler.TestSources;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * Every convolutional op wired through the whole pipeline, against PyTorch: a small two-branch CNN (conv, batchnorm,
 * gelu, max-pool; strided dilated conv, tanh; concat; depthwise conv with padding = same; grouped 1×1 conv, sigmoid;
 * avg-pool; global average pool; linear, softmax, linear) trained three Adam steps from PyTorch's initial weights
 * must give PyTorch's losses, weights and running statistics, and then PyTorch's evaluation-mode outputs. Fixtures:
 * {@code scripts/reference/cnn_training.py}.
 */
class CnnTrainingAgainstPyTorchTest {
    private static final String SOURCE = """
            model TinyCnn {
                input x: [2, 9, 9]
                a = conv2d(4, kernel = 3, padding = 1, bias = false) -> batchnorm -> gelu -> max_pool2d(3, stride = 2, padding = 1)
                b = x -> conv2d(4, kernel = 3, stride = 2, padding = 2, dilation = 2) -> tanh
                (a, b) -> concat(axis = 0)
                depthwise_conv2d(kernel = 3, padding = same, multiplier = 2)
                conv2d(8, kernel = 1, groups = 2) -> sigmoid
                avg_pool2d(2, stride = 1)
                global_avg_pool
                linear(6) -> softmax -> linear(3)
            }
            train TinyCnn {
                data = fashion_mnist
                loss = cross_entropy
                optimizer = adam(lr = 0.01)
                batch = 4
            }
            """;
    private static JsonObject fixture;

    @BeforeAll
    static void readFixture() throws Exception {
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                CnnTrainingAgainstPyTorchTest.class.getResourceAsStream("/fixtures/cnn_training.json")),
                StandardCharsets.UTF_8)) {
            fixture = JsonParser.parseReader(reader).getAsJsonObject();
        }
    }

    @Test
    void trainsAndEvaluatesLikePyTorch() {
        ExecutionPlan plan = TestSources.compileClean(SOURCE).trainingJob(null).orElseThrow().plan();
        List<BufferSpec> parameters = plan.buffers().stream().filter(b -> b.role() == BufferRole.PARAMETER).toList();
        JsonArray initial = fixture.getAsJsonArray("initial");
        assertThat(parameters).hasSize(initial.size());
        try (Executable executable = new CpuBackend(2).load(plan, 4, new Rng(1))) {
            for (int i = 0; i < parameters.size(); i++) {
                assertThat(parameters.get(i).sampleSize()).as(parameters.get(i).name())
                        .isEqualTo(initial.get(i).getAsJsonArray().size());
                copy(initial.get(i).getAsJsonArray(), executable.buffer(parameters.get(i).id()));
            }
            JsonArray steps = fixture.getAsJsonArray("steps");
            for (int s = 0; s < steps.size(); s++) {
                JsonObject step = steps.get(s).getAsJsonObject();
                copy(step.getAsJsonArray("inputs"), executable.buffer(plan.input()));
                copy(step.getAsJsonArray("labels"), executable.buffer(plan.target()));
                float loss = executable.trainStep(step.getAsJsonArray("labels").size());
                assertThat((double) loss).as("loss of step %d", s + 1)
                        .isCloseTo(step.get("loss").getAsDouble(), within(1e-5));
            }
            JsonArray expected = fixture.getAsJsonArray("final");
            for (int i = 0; i < parameters.size(); i++) {
                assertClose(executable.buffer(parameters.get(i).id()), expected.get(i).getAsJsonArray(),
                        parameters.get(i).name() + " after training");
            }
            assertClose(executable.buffer(buffer(plan, "batchnorm1.running_mean")),
                    fixture.getAsJsonArray("running_mean"), "running mean");
            assertClose(executable.buffer(buffer(plan, "batchnorm1.running_var")),
                    fixture.getAsJsonArray("running_var"), "running var");

            JsonObject eval = fixture.getAsJsonObject("eval");
            copy(eval.getAsJsonArray("inputs"), executable.buffer(plan.input()));
            executable.infer(4);
            assertClose(executable.buffer(plan.output()), eval.getAsJsonArray("outputs"), "evaluation output");
        }
    }

    private static int buffer(ExecutionPlan plan, String name) {
        return plan.buffers().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow().id();
    }

    private static void assertClose(float[] actual, JsonArray expected, String what) {
        for (int i = 0; i < expected.size(); i++) {
            double want = expected.get(i).getAsDouble();
            assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(want, within(1e-5 + 1e-4 * Math.abs(want)));
        }
    }

    private static void copy(JsonArray values, float[] into) {
        int i = 0;
        for (JsonElement v : values) {
            into[i++] = v.getAsFloat();
        }
    }
}
