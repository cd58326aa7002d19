package org.nnlang.compiler.parse;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;

/** Spans of tokens and parse-tree nodes. ANTLR counts columns from 0; spans count them from 1, as editors do. */
final class Spans {
    private Spans() {
    }

    static Span of(SourceFile file, Token token) {
        return new Span(file, token.getLine(), token.getCharPositionInLine() + 1, token.getText().length());
    }

    /** From the node's first token to its last; a node that goes on to later lines is cut at the end of its first. */
    static Span of(SourceFile file, ParserRuleContext node) {
        Token start = node.getStart();
        Token stop = node.getStop();
        if (stop == null || stop.getTokenIndex() < start.getTokenIndex()) {
            return of(file, start);
        }
        int column = start.getCharPositionInLine();
        int end = stop.getLine() == start.getLine()
                ? stop.getCharPositionInLine() + stop.getText().length()
                : file.line(start.getLine()).length();
        return new Span(file, start.getLine(), column + 1, end - column);
    }

    /** The column just past {@code token}: where something missing after it should have been written. */
    static Span after(SourceFile file, Token token) {
        return new Span(file, token.getLine(), token.getCharPositionInLine() + token.getText().length() + 1, 1);
    }
}
