package org.nnlang.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;

/** Compiles {@code .nn} text held in a test, failing with the diagnostics printed if it does not compile. */
public final class TestSources {
    private TestSources() {
    }

    public static Compilation compileClean(String text) {
        Compilation compilation = Compiler.compile(SourceFile.of("test.nn", text));
        String printed = compilation.diagnostics().all().stream().map(DiagnosticPrinter::format)
                .collect(Collectors.joining());
        assertThat(compilation.hasErrors()).as("diagnostics:\n%s", printed).isFalse();
        return compilation;
    }
}
