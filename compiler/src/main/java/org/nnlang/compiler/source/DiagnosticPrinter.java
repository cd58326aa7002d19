package org.nnlang.compiler.source;

/**
 * Renders a diagnostic the way compilers people know do:
 * <pre>
 * model.nn:4:5: error: unknown op 'lnear'
 *     lnear(128)
 *     ^^^^^
 *   note: did you mean 'linear'?
 * </pre>
 */
public final class DiagnosticPrinter {
    private DiagnosticPrinter() {
    }

    public static String format(Diagnostic diagnostic) {
        Span span = diagnostic.span();
        StringBuilder out = new StringBuilder();
        out.append(span.file().name()).append(':').append(span.line()).append(':').append(span.column())
                .append(": ").append(diagnostic.severity().label()).append(": ").append(diagnostic.message())
                .append('\n');
        if (!span.isSynthetic()) {
            String line = span.file().line(span.line());
            out.append("    ").append(line).append('\n');
            out.append("    ");
            // Tabs in the source line are kept under the caret so it lines up in any terminal.
            for (int i = 0; i < span.column() - 1 && i < line.length(); i++) {
                out.append(line.charAt(i) == '\t' ? '\t' : ' ');
            }
            int width = Math.max(1, Math.min(span.length(), Math.max(1, line.length() - span.column() + 1)));
            out.append("^".repeat(width)).append('\n');
        }
        for (String note : diagnostic.notes()) {
            out.append("  note: ").append(note).append('\n');
        }
        return out.toString();
    }
}
