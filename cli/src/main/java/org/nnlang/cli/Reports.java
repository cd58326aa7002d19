package org.nnlang.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.TrainingReport;

/**
 * {@code nn train --report FILE.json}:
 * <pre>
 * {
 *   "model": "SeedMlp",
 *   "device": "cpu",
 *   "epochs": [
 *     {"epoch": 1, "train_loss": 0.61, "test_accuracy": 0.82, "samples_per_sec": 51234.5, "seconds": 0.2},
 *     ...
 *   ]
 * }
 * </pre>
 * Accuracy is a fraction in [0, 1]. A figure that is not a finite number (a loss that diverged) is written as
 * {@code null}, since JSON has no NaN.
 */
final class Reports {
    private Reports() {
    }

    static String toJson(TrainingReport report) {
        JsonObject root = new JsonObject();
        root.addProperty("model", report.model());
        root.addProperty("device", report.device());
        JsonArray epochs = new JsonArray();
        for (EpochResult epoch : report.epochs()) {
            JsonObject e = new JsonObject();
            e.addProperty("epoch", epoch.epoch());
            e.add("train_loss", number(epoch.trainLoss()));
            e.add("test_accuracy", number(epoch.testAccuracy()));
            e.add("samples_per_sec", number(epoch.samplesPerSecond()));
            e.add("seconds", number(epoch.seconds()));
            epochs.add(e);
        }
        root.add("epochs", epochs);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root) + "\n";
    }

    static void write(Path path, TrainingReport report) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(path, toJson(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NnException("cannot write the report " + path + ": " + e, e);
        }
    }

    private static JsonElement number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }
}
