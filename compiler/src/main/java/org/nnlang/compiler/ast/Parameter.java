package org.nnlang.compiler.ast;

import org.nnlang.compiler.source.Span;

/** A parameter of a model or block: {@code hidden = 128}, or {@code out} with no default (then required). */
public record Parameter(String name, Expression defaultValue, Span span) {
    public boolean isRequired() {
        return defaultValue == null;
    }
}
