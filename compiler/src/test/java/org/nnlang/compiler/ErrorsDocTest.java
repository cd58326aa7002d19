package org.nnlang.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/errors.md} and the diagnostics corpus in step: every row's message matches an expected diagnostic
 * of each corpus file the row names, and every corpus file is named by some row.
 */
class ErrorsDocTest {
    private static final Path DOC = Path.of("..", "docs", "errors.md");
    private static final Path CORPUS = Path.of("src", "test", "resources", "errors");
    private static final Pattern ROW = Pattern.compile("^\\| `(.+?)` \\|.*\\| ((?:`[^`]+\\.nn`(?:, )?)+) \\|$");
    private static final Pattern FILE = Pattern.compile("`([^`]+\\.nn)`");
    private static final Pattern EXPECTED = Pattern.compile("//\\s*expect (?:error|warning): \\S+ (.+)$");

    private record Row(String message, List<String> files) {
    }

    @Test
    void everyRowMatchesTheDiagnosticsOfTheFilesItNames() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(40);
        for (Row row : rows) {
            Pattern message = Pattern.compile(Stream.of(row.message().split("…", -1)).map(Pattern::quote)
                    .collect(Collectors.joining(".+")));
            for (String file : row.files()) {
                Path path = CORPUS.resolve(file);
                assertThat(path).as("corpus file of row `%s`", row.message()).exists();
                assertThat(expectedMessages(path)).as("expected diagnostics of %s", file)
                        .anyMatch(m -> message.matcher(m).matches());
            }
        }
    }

    @Test
    void everyCorpusFileIsDocumented() throws IOException {
        Set<String> documented = new TreeSet<>();
        rows().forEach(r -> documented.addAll(r.files()));
        try (Stream<Path> files = Files.walk(CORPUS)) {
            List<String> corpus = files.filter(p -> p.toString().endsWith(".nn"))
                    .map(p -> CORPUS.relativize(p).toString())
                    .filter(p -> !p.matches("(.*/)?lib/.*")).sorted().toList();
            assertThat(documented).containsAll(corpus);
        }
    }

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                List<String> files = new ArrayList<>();
                Matcher f = FILE.matcher(m.group(2));
                while (f.find()) {
                    files.add(f.group(1));
                }
                rows.add(new Row(m.group(1), files));
            }
        }
        return rows;
    }

    private static List<String> expectedMessages(Path file) throws IOException {
        List<String> messages = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = EXPECTED.matcher(line);
            if (m.find()) {
                messages.add(m.group(1).strip());
            }
        }
        return messages;
    }
}
