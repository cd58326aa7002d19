package org.nnlang.compiler.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The one funnel every stage reports problems through. Stages keep going after an error where they can, so one run
 * shows the user every independent mistake; whoever drives the compiler stops before the next stage once
 * {@link #hasErrors()} is true.
 */
public final class Diagnostics {
    private final List<Diagnostic> reported = new ArrayList<>();

    public void error(Span span, String message, String... notes) {
        report(new Diagnostic(Severity.ERROR, span, message, List.of(notes)));
    }

    public void warning(Span span, String message, String... notes) {
        report(new Diagnostic(Severity.WARNING, span, message, List.of(notes)));
    }

    public void report(Diagnostic diagnostic) {
        // The same mistake reached twice (say, by two passes over one statement) is reported once.
        for (Diagnostic seen : reported) {
            if (seen.message().equals(diagnostic.message()) && sameLocation(seen.span(), diagnostic.span())) {
                return;
            }
        }
        reported.add(diagnostic);
    }

    public boolean hasErrors() {
        return reported.stream().anyMatch(Diagnostic::isError);
    }

    public int errorCount() {
        return (int) reported.stream().filter(Diagnostic::isError).count();
    }

    /** Everything reported, in source order (file, line, column), the order a user reads and fixes them in. */
    public List<Diagnostic> all() {
        List<Diagnostic> sorted = new ArrayList<>(reported);
        sorted.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name())
                .thenComparingInt(d -> d.span().line())
                .thenComparingInt(d -> d.span().column()));
        return Collections.unmodifiableList(sorted);
    }

    private static boolean sameLocation(Span a, Span b) {
        return a.file() == b.file() && a.line() == b.line() && a.column() == b.column();
    }
}
