package org.nnlang.compiler.source;

/**
 * Where a piece of syntax was written: file, 1-based line and column of its first character, and its length in
 * characters on that line (at least 1, so a caret can always be drawn).
 *
 * <p>Spans are metadata, not meaning: two trees that differ only in where they were written are the same program.
 * That is why {@link #equals} treats every span as equal to every other, so the AST and IR records that carry spans
 * compare by content alone (a formatter round-trip compares trees parsed from differently laid-out text).
 */
public final class Span {
    private final SourceFile file;
    private final int line;
    private final int column;
    private final int length;

    public Span(SourceFile file, int line, int column, int length) {
        this.file = file;
        this.line = line;
        this.column = column;
        this.length = Math.max(1, length);
    }

    /** A span for things the compiler made up itself (gradients, optimizer state), which have no source text. */
    public static Span synthetic() {
        return new Span(SourceFile.of("<generated>", ""), 0, 0, 1);
    }

    public SourceFile file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public int length() {
        return length;
    }

    public boolean isSynthetic() {
        return line == 0;
    }

    /** A span from the start of this one to the end of {@code other}, when both are on the same line. */
    public Span to(Span other) {
        if (other.line != line || other.file != file) {
            return this;
        }
        int end = Math.max(column + length, other.column + other.length);
        return new Span(file, line, column, end - column);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Span;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return file.name() + ":" + line + ":" + column;
    }
}
