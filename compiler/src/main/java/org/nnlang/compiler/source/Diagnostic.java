package org.nnlang.compiler.source;

import java.util.List;

/**
 * One message for the user about one place in a source file.
 *
 * @param notes extra lines printed under the caret: "did you mean", the call chain through blocks, hints
 */
public record Diagnostic(Severity severity, Span span, String message, List<String> notes) {
    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
