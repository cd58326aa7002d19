package org.nnlang.compiler.ast;

import org.nnlang.compiler.source.Span;

/** One {@code key = value} line of a {@code train}, {@code distill} or {@code prune} declaration. */
public record Setting(String key, Expression value, Span keySpan, Span span) {
}
