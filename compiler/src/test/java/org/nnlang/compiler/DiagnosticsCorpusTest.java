package org.nnlang.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnlang.compiler.source.Diagnostic;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;

/**
 * Error tests as data: every {@code .nn} file under {@code src/test/resources/errors/} says, in comments, which
 * diagnostics compiling it must give, and the compiler must give exactly those:
 * <pre>
 * // expect error: 3:12 expected ',' or ')' but found 'relu'
 * // expect warning: 5:5 ...
 * </pre>
 * Line and column are 1-based; the message is compared exactly (notes are not compared). A diagnostic in another
 * file (an imported one) names it: {@code // expect error: other.nn:1:1 import cycle: …}. Files in folders named
 * {@code lib} are libraries the tests import, not tests themselves. To add a test, add a file.
 */
class DiagnosticsCorpusTest {
    private static final Pattern EXPECTATION = Pattern.compile(
            "//\\s*expect (error|warning): ((?:[\\w.-]+\\.nn:)?\\d+):(\\d+) (.+)$");

    static List<Named<Path>> corpus() throws IOException, URISyntaxException {
        Path root = Path.of(DiagnosticsCorpusTest.class.getResource("/errors").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".nn"))
                    .filter(f -> !root.relativize(f).toString().matches("(.*/)?lib/.*")).sorted()
                    .map(f -> Named.of(root.relativize(f).toString(), f))
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportsExactlyTheExpectedDiagnostics(Path file) throws IOException {
        SourceFile source = SourceFile.read(file);
        Set<String> expected = expectations(source);
        assertThat(expected).as("a corpus file must expect at least one diagnostic").isNotEmpty();

        Set<String> reported = Compiler.compile(source).diagnostics().all().stream()
                .map(d -> describe(d, source))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(reported).as("diagnostics of %s", file.getFileName()).isEqualTo(expected);
    }

    @Test
    void printsFileLineColumnThenTheLineThenACaret() {
        SourceFile source = SourceFile.of("bad.nn", """
                model M {
                    input x: [4]
                    linear(8
                    relu
                }
                """);
        Diagnostic first = Compiler.compile(source).diagnostics().all().get(0);

        assertThat(DiagnosticPrinter.format(first)).isEqualTo("""
                bad.nn:4:5: error: expected ',' or ')' but found 'relu'
                        relu
                        ^^^^
                """);
    }

    private static Set<String> expectations(SourceFile source) {
        Set<String> expected = new TreeSet<>();
        for (int line = 1; line <= source.lineCount(); line++) {
            Matcher m = EXPECTATION.matcher(source.line(line));
            if (m.find()) {
                expected.add(m.group(1) + " " + m.group(2) + ":" + m.group(3) + " " + m.group(4).strip());
            }
        }
        return expected;
    }

    private static String describe(Diagnostic d, SourceFile compiled) {
        String file = d.span().file() == compiled ? ""
                : Path.of(d.span().file().name()).getFileName() + ":";
        return d.severity().label() + " " + file + d.span().line() + ":" + d.span().column() + " " + d.message();
    }
}
