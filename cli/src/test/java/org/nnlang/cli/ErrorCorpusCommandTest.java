package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broken file of the compiler's diagnostics corpus, run through {@code nn check} and {@code nn train} as a user
 * would: exit status 2, the file's {@code line:col} in the output, and never a Java stack trace.
 */
class ErrorCorpusCommandTest {
    static Stream<Path> brokenFiles() throws IOException {
        Path corpus = Path.of("..", "compiler", "src", "test", "resources", "errors");
        try (Stream<Path> files = Files.walk(corpus)) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("brokenFiles")
    void checkAndTrainReportTheErrorAndExit2(Path file) {
        for (String command : new String[] {"check", "train"}) {
            NnRun run = NnRun.of(command, file.toString());
            assertThat(run.status()).as("%s %s\n%s", command, file, run).isEqualTo(2);
            assertThat(run.err()).as("%s %s", command, file)
                    .contains(file + ":")
                    .contains(": error: ")
                    .doesNotContain("Exception")
                    .doesNotContainPattern("\\n\\s+at [a-z]+\\.");
        }
    }
}
