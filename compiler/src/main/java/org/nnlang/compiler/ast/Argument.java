package org.nnlang.compiler.ast;

import org.nnlang.compiler.source.Span;

/** An argument of a call: positional ({@code name == null}) or {@code name = value}. */
public record Argument(String name, Expression value, Span span) {
    public boolean isNamed() {
        return name != null;
    }
}
