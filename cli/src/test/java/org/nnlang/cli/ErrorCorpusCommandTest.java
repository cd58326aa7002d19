package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the compiler's diagnostics corpus, run through {@code nn check} and {@code nn train} as a user would:
 * a file with errors exits 2 and names itself with {@code line:col}; a file with only warnings passes {@code nn check}
 * and prints them; never a Java stack trace.
 */
class ErrorCorpusCommandTest {
    static Stream<Path> brokenFiles() throws IOException {
        Path corpus = Path.of("..", "compiler", "src", "test", "resources", "errors");
        try (Stream<Path> files = Files.walk(corpus)) {
            return files.filter(p -> p.toString().endsWith(".nn"))
                    .filter(p -> !p.toString().contains("/lib/")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("brokenFiles")
    void checkAndTrainReportTheErrorAndExit2(Path file) throws IOException {
        if (!Files.readString(file).contains("// expect error:")) {
            NnRun run = NnRun.of("check", file.toString());
            assertThat(run.status()).as("check %s\n%s", file, run).isZero();
            assertThat(run.err()).contains(file + ":").contains(": warning: ");
            return;
        }
        for (String command : new String[] {"check", "train"}) {
            NnRun run = NnRun.of(command, file.toString());
            assertThat(run.status()).as("%s %s\n%s", command, file, run).isEqualTo(2);
            assertThat(run.err()).as("%s %s", command, file)
                    .containsPattern("\\.nn:\\d+:\\d+: error: ")
                    .doesNotContain("Exception")
                    .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
        }
    }
}
