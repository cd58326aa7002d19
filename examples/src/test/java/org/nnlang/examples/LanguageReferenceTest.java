package org.nnlang.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;

/**
 * Keeps the documentation and the examples honest: every {@code ```nn} block of {@code docs/language.md} and every
 * {@code .nn} file in {@code examples/} must compile without errors.
 */
class LanguageReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "language.md");
    private static final Pattern NN_BLOCK = Pattern.compile("```nn\\n(.*?)```", Pattern.DOTALL);

    static List<String> referenceExamples() throws IOException {
        Matcher matcher = NN_BLOCK.matcher(Files.readString(REFERENCE));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    static Stream<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList().stream();
        }
    }

    @Test
    void theReferenceHasExamples() throws IOException {
        assertThat(referenceExamples()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(exampleFiles()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("referenceExamples")
    void everyReferenceExampleCompiles(String example) {
        assertCompiles(Compiler.compile(SourceFile.of("docs/language.md example", example)));
    }

    @ParameterizedTest
    @MethodSource("exampleFiles")
    void everyExampleFileCompiles(Path file) throws IOException {
        Compilation compilation = Compiler.compile(file);
        assertCompiles(compilation);
        assertThat(compilation.models()).as("models of %s", file).isNotEmpty();
    }

    private static void assertCompiles(Compilation compilation) {
        String printed = compilation.diagnostics().all().stream().map(DiagnosticPrinter::format)
                .collect(Collectors.joining());
        assertThat(compilation.hasErrors()).as("%s", printed).isFalse();
    }
}
