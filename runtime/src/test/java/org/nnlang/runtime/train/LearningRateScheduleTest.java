package org.nnlang.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Our schedules give, step by step, the rates PyTorch's schedulers give (fixtures: scripts/reference/schedules.py). */
class LearningRateScheduleTest {
    @Test
    void matchesPyTorchSchedulers() throws Exception {
        JsonObject fixture;
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/fixtures/schedules.json")), StandardCharsets.UTF_8)) {
            fixture = JsonParser.parseReader(reader).getAsJsonObject();
        }
        double base = fixture.get("base").getAsDouble();
        int epochs = fixture.get("epochs").getAsInt();
        int steps = fixture.get("steps_per_epoch").getAsInt();
        Map<String, LearningRateSchedule> ours = Map.of(
                "step_every_2_gamma_0.5", new LearningRateSchedule(base, new LearningRateSchedule.Decay.Step(2, 0.5), 0),
                "cosine_min_0.01", new LearningRateSchedule(base, new LearningRateSchedule.Decay.Cosine(0.01), 0),
                "cosine_warmup_3", new LearningRateSchedule(base, new LearningRateSchedule.Decay.Cosine(0), 3));
        JsonObject cases = fixture.getAsJsonObject("cases");
        assertThat(cases.keySet()).isEqualTo(ours.keySet());
        ours.forEach((name, schedule) -> {
            JsonArray expected = cases.getAsJsonArray(name);
            for (int t = 0; t < epochs * steps; t++) {
                assertThat(schedule.at(t / steps, t, (long) epochs * steps)).as("%s, step %d", name, t)
                        .isCloseTo(expected.get(t).getAsDouble(), within(1e-12));
            }
        });
    }

    @Test
    void aConstantScheduleIsTheBaseRate() {
        LearningRateSchedule constant = LearningRateSchedule.constant(0.003);
        assertThat(constant.isConstant()).isTrue();
        assertThat(constant.at(5, 1234, 5000)).isEqualTo(0.003);
    }
}
