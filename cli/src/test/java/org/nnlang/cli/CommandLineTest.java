package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.TrainingReport;

/** The command line's contract that does not need a working compiler: usage, exit codes, messages, formats. */
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheCommands() {
        NnRun run = NnRun.of("--help");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("check").contains("train").contains("Usage: nn");
    }

    @Test
    void versionNamesNnAndJava() {
        NnRun run = NnRun.of("--version");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("nn ").contains("Java ");
    }

    @Test
    void noCommandPrintsUsageAndExits2() {
        NnRun run = NnRun.of();
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("Usage: nn");
    }

    @Test
    void unknownOptionIsAUsageError() {
        NnRun run = NnRun.of("train", "model.nn", "--epocs", "3");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option").contains("'--epocs'")
                .contains("--epochs")
                .contains("Try 'nn train --help' for more information.");
        assertThat(run.err()).doesNotContain("\tat ");
    }

    @Test
    void unknownCommandIsAUsageError() {
        NnRun run = NnRun.of("trian", "model.nn");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("trian").contains("train");
    }

    @Test
    void missingFileArgumentIsAUsageError() {
        NnRun run = NnRun.of("train");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'FILE'");
        assertThat(NnRun.of("check").status()).isEqualTo(2);
    }

    @Test
    void fileNotFoundNamesThePath() {
        String missing = dir.resolve("no-such-model.nn").toString();
        for (String command : List.of("check", "train")) {
            NnRun run = NnRun.of(command, missing);
            assertThat(run.status()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("file not found: " + missing).doesNotContain("\tat ");
        }
    }

    @Test
    void epochsBelowOneIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("m.nn"), "model M {\n    input x: [4]\n    linear(2)\n}\n");
        NnRun run = NnRun.of("train", file.toString(), "--epochs", "0");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--epochs must be at least 1, got 0");
        NnRun notANumber = NnRun.of("train", file.toString(), "--epochs", "many");
        assertThat(notANumber.status()).isEqualTo(2);
        assertThat(notANumber.err()).contains("many");
    }

    @Test
    void userErrorsPrintTheMessageWithoutAStackTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = Main.failure(new NnException("data/train-images-idx3-ubyte.gz: truncated"), err, false);
        assertThat(status).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("error: data/train-images-idx3-ubyte.gz: truncated" + System.lineSeparator());
    }

    @Test
    void internalErrorsAskForAReportWithoutAStackTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = Main.failure(new IllegalStateException("buffer 3 unplanned"), err, false);
        assertThat(status).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .startsWith("nn: internal error: java.lang.IllegalStateException: buffer 3 unplanned; please report it")
                .contains("NN_DEBUG=1")
                .doesNotContain("\tat ");

        ByteArrayOutputStream debug = new ByteArrayOutputStream();
        Main.failure(new IllegalStateException("x"), new PrintStream(debug, true, StandardCharsets.UTF_8), true);
        assertThat(debug.toString(StandardCharsets.UTF_8)).contains("\tat ");
    }

    @Test
    void epochLineLooksAsDocumented() {
        EpochResult result = new EpochResult(3, 0.41234, 0.85214, 12_345.4, 4.94);
        assertThat(TrainProgress.epochLine(result, 10, 2))
                .isEqualTo("epoch  3/10  train loss 0.4123  test acc 85.21%  12,345 samples/s  4.9 s");
    }

    @Test
    void reportIsPrettyJsonWithTheDocumentedKeys() throws Exception {
        TrainingReport report = new TrainingReport("SeedMlp", "cpu", List.of(
                new EpochResult(1, 0.6, 0.8, 50_000, 0.2),
                new EpochResult(2, Double.NaN, 0.1, 51_000, 0.2)));
        Path path = dir.resolve("reports/run.json");
        Reports.write(path, report);
        String json = Files.readString(path);
        com.google.gson.JsonObject root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertThat(root.get("model").getAsString()).isEqualTo("SeedMlp");
        assertThat(root.get("device").getAsString()).isEqualTo("cpu");
        com.google.gson.JsonObject first = root.getAsJsonArray("epochs").get(0).getAsJsonObject();
        assertThat(first.keySet()).containsExactly("epoch", "train_loss", "test_accuracy", "samples_per_sec",
                "seconds");
        assertThat(first.get("test_accuracy").getAsDouble()).isEqualTo(0.8);
        // JSON has no NaN: a diverged loss is written as null.
        assertThat(root.getAsJsonArray("epochs").get(1).getAsJsonObject().get("train_loss").isJsonNull()).isTrue();
        assertThat(json).contains("\n  \"epochs\": [");
    }
}
