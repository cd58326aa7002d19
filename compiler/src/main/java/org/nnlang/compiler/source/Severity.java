package org.nnlang.compiler.source;

/** How bad a diagnostic is: errors stop compilation, warnings are printed and compilation goes on. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** The word printed after {@code file:line:col:}. */
    public String label() {
        return label;
    }
}
