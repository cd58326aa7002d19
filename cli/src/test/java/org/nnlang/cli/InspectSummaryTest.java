package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nn inspect} without {@code --dump}: the summary in every format, and {@code nn diff}. */
class InspectSummaryTest {
    private static final String SEED = "../examples/seed-mlp.nn";

    @TempDir
    Path dir;

    private static String ok(String... args) {
        NnRun run = NnRun.of(args);
        assertThat(run.status()).as(run.toString()).isZero();
        return run.out();
    }

    @Test
    void theTableHasARowPerNodeAndTheTotals() {
        String table = ok("inspect", SEED);
        assertThat(table).contains("SeedMlp: 101,770 parameters", "inference graph, batch 32",
                "Layer (op)", "Input shape", "Output shape", "linear1 (linear)", "[N, 784]", "100,480", "98.73%",
                "Total params: 101,770", "MACs per sample: 101,632", "MACs at batch 32: 3,252,224",
                "Peak training memory at batch 32", "--dump tokens");
        String training = ok("inspect", SEED, "--graph", "training", "--batch", "8");
        assertThat(training).contains("training graph, batch 8", "grad(linear1.weight) (linear_grad_weight)",
                "update(linear1.weight) (adam_update)", "backward 102,912", "MACs at batch 8");
    }

    @Test
    void jsonHasPerModelFieldsAndTotals() {
        JsonObject document = JsonParser.parseString(ok("inspect", SEED, "--format", "json", "--graph", "training"))
                .getAsJsonObject();
        JsonObject model = document.getAsJsonArray("models").get(0).getAsJsonObject();
        assertThat(model.get("model").getAsString()).isEqualTo("SeedMlp");
        assertThat(model.get("params").getAsLong()).isEqualTo(101770);
        assertThat(model.getAsJsonObject("macsByPhase").get("forward").getAsLong()).isEqualTo(101632);
        assertThat(model.getAsJsonObject("memory").get("totalBytes").getAsLong()).isPositive();
        assertThat(model.getAsJsonObject("memory").get("allocatedBytes").getAsLong()).isPositive()
                .isLessThan(model.getAsJsonObject("memory").get("totalBytes").getAsLong());
        JsonArray nodes = model.getAsJsonArray("nodes");
        JsonObject linear1 = nodes.get(1).getAsJsonObject();
        for (String field : new String[] {"name", "op", "shape", "params", "macs"}) {
            assertThat(linear1.has(field)).as(field).isTrue();
        }
        assertThat(linear1.get("macs").getAsLong()).isEqualTo(100352);
    }

    @Test
    void dotAndOutputFile() throws Exception {
        assertThat(ok("inspect", SEED, "--format", "dot")).startsWith("digraph \"SeedMlp (inference)\" {")
                .contains("\"flatten1\" -> \"linear1\" [label=\"[N, 784]\"]");
        Path file = dir.resolve("seed.dot");
        NnRun run = NnRun.of("inspect", SEED, "--format", "dot", "--output", file.toString());
        assertThat(run.status()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(file)).startsWith("digraph");
    }

    @Test
    void htmlIsOneSelfContainedPageWithBothGraphs() throws Exception {
        Path file = dir.resolve("seed.html");
        assertThat(NnRun.of("inspect", SEED, "--format", "html", "--output", file.toString()).status()).isZero();
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "data-graph=\"inference\"",
                "data-graph=\"training\"", "data-name=\"grad(linear1)\"").doesNotContain("src=\"http", "href=\"http");
    }

    @Test
    void wrongOptionsAreUsageErrors() {
        NnRun run = NnRun.of("inspect", SEED, "--format", "svg");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown format 'svg'", "table, json, dot, html");
        run = NnRun.of("inspect", SEED, "--dump", "ir", "--format", "json");
        assertThat(run.status()).isEqualTo(2);
        run = NnRun.of("inspect", SEED, "--batch", "0");
        assertThat(run.status()).isEqualTo(2);
        run = NnRun.of("inspect", SEED, "--graph", "trainig");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown graph 'trainig'");
    }

    @Test
    void diffOfTwoFiles() {
        String diff = ok("diff", "../examples/cnn.nn", "../examples/separable-cnn.nn");
        assertThat(diff).contains("-  plain1.conv2d1", "+  separable2.conv2d1", "Params: 23,946 → 3,946 (-20,000)");
        JsonObject json = JsonParser.parseString(ok("diff", "../examples/cnn.nn", "../examples/separable-cnn.nn",
                "--format", "json")).getAsJsonObject();
        assertThat(json.get("paramsDelta").getAsLong()).isEqualTo(-20000);
        assertThat(json.getAsJsonObject("counts").get("removed").getAsInt()).isEqualTo(4);
    }

    @Test
    void diffAcrossAPassAndBetweenModels() throws Exception {
        assertThat(ok("diff", SEED, "--pass", "autodiff")).contains("+  grad(linear1.weight)", "7 added, 0 removed");
        NnRun run = NnRun.of("diff", SEED, "--pass", "autodif");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("did you mean 'autodiff'?");
        Path two = Files.writeString(dir.resolve("two.nn"), """
                model Small {
                    input x: [4]
                    linear(8) -> relu
                    linear(2)
                }
                model Large {
                    input x: [4]
                    linear(16) -> relu
                    linear(2)
                }
                """);
        assertThat(ok("diff", two.toString(), "--model-a", "Small", "--model-b", "Large"))
                .contains("~  linear1", "[N, 8] → [N, 16]", "0 added, 0 removed, 3 reshaped");
    }
}
