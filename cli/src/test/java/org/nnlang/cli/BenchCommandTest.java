package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.runtime.kernels.Gemm;

/** {@code nn bench} in-process on a tiny model and a few steps: the figures it reports, not how fast it is. */
class BenchCommandTest {
    private static final String TINY = String.join("\n",
            "model Tiny {",
            "    input x: [1, 4, 5]",
            "    flatten",
            "    linear(6)",
            "    relu",
            "    linear(3)",
            "}",
            "",
            "train Tiny {",
            "    data      = fashion_mnist",
            "    loss      = cross_entropy",
            "    optimizer = adam(lr = 0.001)",
            "    batch     = 8",
            "}",
            "");

    @TempDir
    Path dir;

    private Path tiny() throws Exception {
        return Files.writeString(dir.resolve("tiny.nn"), TINY);
    }

    @Test
    void jsonHasEveryFigure() throws Exception {
        NnRun run = NnRun.of("bench", tiny().toString(), "--batch", "7", "--steps", "5", "--warmup", "2",
                "--threads", "2", "--json");
        assertThat(run.status()).as(run.toString()).isZero();
        JsonObject o = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(o.get("model").getAsString()).isEqualTo("Tiny");
        assertThat(o.get("device").getAsString()).isEqualTo("cpu (2 threads)");
        assertThat(o.get("kernels").getAsString()).isEqualTo(Gemm.kernels());
        assertThat(o.get("batch").getAsInt()).isEqualTo(7);
        assertThat(o.get("threads").getAsInt()).isEqualTo(2);
        assertThat(o.get("steps").getAsInt()).isEqualTo(5);
        assertThat(o.get("warmup_steps").getAsInt()).isEqualTo(2);
        // Three products per linear layer, except that the first layer computes no gradient for the input.
        long macs = 7L * 20 * 6 * 2 + 7L * 6 * 3 * 3;
        assertThat(o.get("macs_per_step").getAsLong()).isEqualTo(macs);
        double p10 = o.get("p10_ms").getAsDouble();
        double median = o.get("median_ms").getAsDouble();
        double p90 = o.get("p90_ms").getAsDouble();
        assertThat(p10).isPositive().isLessThanOrEqualTo(median);
        assertThat(median).isLessThanOrEqualTo(p90);
        assertThat(o.get("samples_per_sec").getAsDouble()).isPositive();
        assertThat(o.get("gflops").getAsDouble()).isCloseTo(2.0 * macs / (median / 1e3) / 1e9,
                org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(o.get("peak_heap_bytes").getAsLong()).isPositive();
        assertThat(o.get("parameters").getAsLong()).isEqualTo(20 * 6 + 6 + 6 * 3 + 3);
        assertThat(o.get("last_loss").getAsDouble()).isPositive();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void textUsesTheTrainBlocksBatchByDefault() throws Exception {
        NnRun run = NnRun.of("bench", tiny().toString(), "--steps", "3", "--warmup", "0", "--threads", "1");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("model    Tiny, 147 parameters, batch 8, cpu (1 thread)")
                .contains("steps    3 timed, after 0 warm-up")
                .containsPattern("time     [0-9.]+ ms per step \\(median; p10 [0-9.]+, p90 [0-9.]+\\)")
                .containsPattern("speed    [0-9,]+ samples/s, [0-9.]+ GFLOP/s \\(2,352 multiply-adds per step")
                .containsPattern("memory   [0-9.]+ MiB peak heap");
    }

    @Test
    void badNumbersAreUsageErrors() throws Exception {
        String file = tiny().toString();
        for (String[] option : new String[][] {{"--batch", "0"}, {"--steps", "0"}, {"--warmup", "-1"},
                {"--threads", "0"}}) {
            NnRun run = NnRun.of("bench", file, option[0], option[1]);
            assertThat(run.status()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains(option[0]).contains("bench --help");
        }
    }

    @Test
    void compileErrorsExit2() throws Exception {
        Path file = Files.writeString(dir.resolve("typo.nn"), TINY.replace("linear(6)", "lnear(6)"));
        NnRun run = NnRun.of("bench", file.toString(), "--steps", "1");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("lnear").contains("1 error");
        assertThat(run.out()).isEmpty();
    }
}
