package org.nnlang.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;

/** What a checkpoint of an executable holds, and how strictly loading checks it against the model. */
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void savesParametersAndModelStateUnderTheirPlanNames() {
        Path file = dir.resolve("w.safetensors");
        try (Executable executable = TinyPlan.load(TinyPlan.tinyNet(), 1)) {
            Checkpoints.save(executable, file);
            Safetensors.Contents contents = Safetensors.read(file);
            assertThat(contents.names()).containsExactlyInAnyOrder("linear1.weight", "linear1.bias",
                    "batchnorm1.weight", "batchnorm1.bias", "linear2.weight", "linear2.bias",
                    "batchnorm1.running_mean", "batchnorm1.running_var");
            assertThat(contents.metadata()).containsEntry("format", "nnlang-checkpoint")
                    .containsEntry("model", "TinyNet").containsEntry("optimizer_state", "not included")
                    .containsKey("nnlang_version");
            for (BufferSpec spec : executable.plan().buffers()) {
                Safetensors.Tensor tensor = contents.tensor(spec.name());
                if (tensor != null) {
                    assertThat(tensor.shape()).containsExactly(spec.dims());
                    assertThat(tensor.data()).containsExactly(executable.buffer(spec.id()));
                }
            }
        }
    }

    @Test
    void loadingRestoresWeightsAndModelStateButNotOptimizerState() {
        Path file = dir.resolve("w.safetensors");
        ExecutionPlan plan = TinyPlan.tinyNet();
        try (Executable saved = TinyPlan.load(plan, 1); Executable loaded = TinyPlan.load(plan, 2)) {
            TinyPlan.fillWithPattern(saved);
            Checkpoints.save(saved, file);
            float[] adamBefore = loaded.buffer(id(plan, "linear1.weight.adam_m")).clone();
            Checkpoints.load(loaded, file);
            for (BufferSpec spec : plan.buffers()) {
                if (spec.role() == BufferRole.PARAMETER || spec.role() == BufferRole.MODEL_STATE) {
                    assertThat(loaded.buffer(spec.id())).as(spec.name()).containsExactly(saved.buffer(spec.id()));
                }
            }
            assertThat(loaded.buffer(id(plan, "linear1.weight.adam_m"))).containsExactly(adamBefore);
        }
    }

    @Test
    void optimizerStateIsSavedUnderItsPrefixAndLoadedOnRequest() {
        Path file = dir.resolve("full.safetensors");
        ExecutionPlan plan = TinyPlan.tinyNet();
        try (Executable saved = TinyPlan.load(plan, 1); Executable loaded = TinyPlan.load(plan, 2)) {
            TinyPlan.fillWithPattern(saved);
            Checkpoints.save(saved, file, true);
            Safetensors.Contents contents = Safetensors.read(file);
            assertThat(contents.names()).contains("optimizer/linear1.weight.adam_m", "optimizer/linear1.weight.step");
            assertThat(contents.metadata()).containsEntry("optimizer_state", "included");

            Checkpoints.load(loaded, file, true);
            for (BufferSpec spec : plan.buffers()) {
                if (spec.role() == BufferRole.OPTIMIZER_STATE || spec.role() == BufferRole.PARAMETER) {
                    assertThat(loaded.buffer(spec.id())).as(spec.name()).containsExactly(saved.buffer(spec.id()));
                }
            }
            // A weights-only load of the same file ignores the optimizer state instead of calling it unexpected.
            Checkpoints.load(loaded, file);
        }
    }

    @Test
    void askingForOptimizerStateThatWasNotSaved() {
        Path file = dir.resolve("w.safetensors");
        try (Executable executable = TinyPlan.load(TinyPlan.tinyNet(), 1)) {
            Checkpoints.save(executable, file);
            assertThatThrownBy(() -> Checkpoints.load(executable, file, true)).isInstanceOf(NnException.class)
                    .hasMessageContaining("checkpoint " + file + " does not fit model 'TinyNet'")
                    .hasMessageContaining("'optimizer/linear1.weight.adam_m', 'optimizer/linear1.weight.step' are "
                            + "missing")
                    .hasMessageContaining("it was saved without optimizer state");
        }
    }

    @Test
    void missingTensorIsNamedWithWhatTheFileHas() {
        Path file = dir.resolve("w.safetensors");
        try (Executable bigger = TinyPlan.load(TinyPlan.plan("TinyNet", 8, "extra.weight"), 1);
             Executable smaller = TinyPlan.load(TinyPlan.tinyNet(), 1)) {
            Checkpoints.save(smaller, file);
            assertThatThrownBy(() -> Checkpoints.load(bigger, file)).isInstanceOf(NnException.class)
                    .hasMessageContaining("checkpoint " + file + " does not fit model 'TinyNet': tensor "
                            + "'extra.weight' is missing (the file has 'batchnorm1.bias', 'batchnorm1.running_mean'");
        }
    }

    @Test
    void unexpectedTensorsSuggestAnotherModel() {
        Path file = dir.resolve("w.safetensors");
        try (Executable other = TinyPlan.load(TinyPlan.plan("OtherNet", 8, "conv2d1.weight", "conv2d2.weight"), 1);
             Executable tiny = TinyPlan.load(TinyPlan.tinyNet(), 1)) {
            Checkpoints.save(other, file);
            assertThatThrownBy(() -> Checkpoints.load(tiny, file)).isInstanceOf(NnException.class)
                    .hasMessageContaining("the model has no tensors 'conv2d1.weight', 'conv2d2.weight'")
                    .hasMessageContaining("was it saved from another model (it says it was saved from 'OtherNet')?");
        }
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes() {
        Path file = dir.resolve("w.safetensors");
        ExecutionPlan tinyPlan = TinyPlan.tinyNet();
        try (Executable wide = TinyPlan.load(TinyPlan.plan("TinyNet", 32), 1);
             Executable tiny = TinyPlan.load(tinyPlan, 1)) {
            Checkpoints.save(wide, file);
            float[] before = tiny.buffer(id(tinyPlan, "linear2.bias")).clone();
            assertThatThrownBy(() -> Checkpoints.load(tiny, file)).isInstanceOf(NnException.class)
                    .hasMessageContaining("tensor 'linear1.weight' has shape [32, 16] in the file but [8, 16] in the "
                            + "model")
                    .hasMessageContaining("tensor 'batchnorm1.running_var' has shape [32] in the file but [8]");
            // Nothing was copied, not even the tensors that fit.
            assertThat(tiny.buffer(id(tinyPlan, "linear2.bias"))).containsExactly(before);
        }
    }

    @Test
    void loadsTheCheckpointWrittenFromPyTorch() throws Exception {
        JsonObject expected = SafetensorsTest.torchFixture().getAsJsonObject("tensors");
        ExecutionPlan plan = TinyPlan.tinyNet();
        try (Executable executable = TinyPlan.load(plan, 1)) {
            Checkpoints.load(executable, SafetensorsTest.fixture("torch-written.safetensors"));
            for (String name : expected.keySet()) {
                float[] values = SafetensorsTest.floats(expected.getAsJsonObject(name).getAsJsonArray("values"));
                assertThat(executable.buffer(id(plan, name))).as(name).containsExactly(values);
            }
            assertThat(Arrays.stream(plan.buffers().toArray(BufferSpec[]::new))
                    .filter(b -> b.role() == BufferRole.PARAMETER || b.role() == BufferRole.MODEL_STATE).count())
                    .isEqualTo(expected.size());
        }
    }

    private static int id(ExecutionPlan plan, String name) {
        return plan.buffers().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow().id();
    }
}
