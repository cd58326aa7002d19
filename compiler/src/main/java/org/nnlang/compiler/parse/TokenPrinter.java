package org.nnlang.compiler.parse;

import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.grammar.NnLexer;

/**
 * Prints what the lexer makes of a file, one token a line — the format of {@code nn inspect --dump tokens} and of the
 * golden tests:
 * <pre>
 * 6:1 MODEL 'model'
 * 6:7 NAME 'SeedMlp'
 * 8:32 COMMENT '// one 28×28 grey image'
 * </pre>
 * Line and column are 1-based, as in diagnostics; the type is the token's name in the grammar. Hidden tokens
 * (comments, stray characters) are listed too; line breaks inside brackets are not, because the lexer drops them.
 * It works on any text, even text that does not parse: seeing the tokens is how one finds out why it does not.
 */
public final class TokenPrinter {
    private TokenPrinter() {
    }

    public static String print(SourceFile file) {
        StringBuilder out = new StringBuilder();
        for (Token token : tokens(file)) {
            out.append(token.getLine()).append(':').append(token.getCharPositionInLine() + 1).append(' ')
                    .append(NnLexer.VOCABULARY.getSymbolicName(token.getType())).append(' ')
                    .append(quote(token.getType() == Token.EOF ? "" : token.getText())).append('\n');
        }
        return out.toString();
    }

    /** Every token of {@code file}, hidden ones included, ending with EOF. */
    static List<Token> tokens(SourceFile file) {
        NnLexer lexer = new NnLexer(CharStreams.fromString(file.text(), file.name()));
        lexer.removeErrorListeners();
        CommonTokenStream stream = new CommonTokenStream(lexer);
        stream.fill();
        return stream.getTokens();
    }

    /** {@code 'text'}, with line breaks, tabs, quotes and backslashes escaped so that every token stays on one line. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
