package org.nnlang.compiler.parse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;
import org.nnlang.grammar.NnLexer;

/**
 * Where the lexer's and the parser's complaints go on their way to {@link Diagnostics}. It keeps at most one error
 * per line: after a mistake the parser is often confused for the rest of the line, and only the first message is
 * about what the user wrote.
 */
final class SyntaxErrors {
    private final SourceFile file;
    private final Diagnostics diagnostics;
    private final List<Token> tokens;
    private final Set<Integer> linesWithErrors = new HashSet<>();

    /** @param tokens every token of the file, hidden ones included, as the lexer produced them */
    SyntaxErrors(SourceFile file, Diagnostics diagnostics, List<Token> tokens) {
        this.file = file;
        this.diagnostics = diagnostics;
        this.tokens = tokens;
    }

    void report(Token at, String message, String... notes) {
        Span span = spanOf(at);
        if (linesWithErrors.add(span.line())) {
            diagnostics.error(span, message, notes);
        }
    }

    /**
     * A token's own span, except for the end of a line or of the file: those have no text to point at, so the caret
     * goes just after the code before them (not after a comment, nor onto an empty last line).
     */
    private Span spanOf(Token token) {
        if (token.getType() != NnLexer.NEWLINE && token.getType() != Token.EOF) {
            return Spans.of(file, token);
        }
        for (int i = token.getTokenIndex() - 1; i >= 0; i--) {
            Token previous = tokens.get(i);
            if (previous.getChannel() == Token.DEFAULT_CHANNEL && previous.getType() != NnLexer.NEWLINE) {
                return Spans.after(file, previous);
            }
        }
        return new Span(file, 1, 1, 1);
    }
}
