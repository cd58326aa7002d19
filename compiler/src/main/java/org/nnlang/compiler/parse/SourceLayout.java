package org.nnlang.compiler.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;
import org.nnlang.grammar.NnLexer;
import org.nnlang.grammar.NnParser;

/**
 * What the AST leaves out of a file and a formatter needs back: its comments, on which line each piece of syntax
 * ends (an AST span only says where it starts), and where a chain goes on with a line starting with {@code ->}. The lexer sends comments to the hidden channel, so the parser
 * never sees them and they are read here from the token stream.
 *
 * <p>Meant for text without syntax errors (check with {@link SourceParser} first).
 */
public final class SourceLayout {
    /**
     * One comment, {@code // …} or {@code # …}, as written but without trailing spaces.
     *
     * @param ownLine whether nothing but spaces comes before it on its line (otherwise it trails some code)
     */
    public record Comment(int line, int column, String text, boolean ownLine) {
    }

    private final List<Comment> comments;
    /** For the first token of every rule (keyed by line and column), the last line of the longest rule starting there. */
    private final Map<Long, Integer> lastLines;

    /** Lines whose first token is '->': where the author continued a chain on a new line. */
    private final Set<Integer> arrowLines;

    private SourceLayout(List<Comment> comments, Map<Long, Integer> lastLines, Set<Integer> arrowLines) {
        this.comments = List.copyOf(comments);
        this.lastLines = lastLines;
        this.arrowLines = arrowLines;
    }

    public static SourceLayout of(SourceFile file) {
        List<Comment> comments = new ArrayList<>();
        Set<Integer> arrowLines = new HashSet<>();
        int line = 0;
        for (Token token : TokenPrinter.tokens(file)) {
            if (token.getChannel() == Token.DEFAULT_CHANNEL && token.getLine() != line) {
                line = token.getLine();
                if (token.getType() == NnLexer.ARROW) {
                    arrowLines.add(line);
                }
            }
            if (token.getType() == NnLexer.COMMENT) {
                int column = token.getCharPositionInLine() + 1;
                boolean ownLine = file.line(token.getLine()).substring(0, column - 1).isBlank();
                comments.add(new Comment(token.getLine(), column, token.getText().stripTrailing(), ownLine));
            }
        }
        Map<Long, Integer> lastLines = new HashMap<>();
        NnParser.CompilationUnitContext tree = ParseTreePrinter.parse(file);
        for (int i = 0; i < tree.getChildCount(); i++) {
            collectLastLines(tree.getChild(i), lastLines);
        }
        return new SourceLayout(comments, lastLines, arrowLines);
    }

    /** Every comment of the file, in the order they were written. */
    public List<Comment> comments() {
        return comments;
    }

    /**
     * The line on which the declaration, statement or setting that starts at {@code start} ends: its closing
     * {@code '}'}, or the last line of a value that goes on over several lines. {@code start.line()} when nothing
     * starts there (a tree not parsed from this file).
     */
    public int lastLine(Span start) {
        return lastLines.getOrDefault(key(start.line(), start.column()), start.line());
    }

    /** Whether line {@code line} starts with {@code ->}: the author went on with a chain there. */
    public boolean startsWithArrow(int line) {
        return arrowLines.contains(line);
    }

    private static void collectLastLines(ParseTree node, Map<Long, Integer> lastLines) {
        if (node instanceof ParserRuleContext rule && rule.getStop() != null) {
            Token start = rule.getStart();
            lastLines.merge(key(start.getLine(), start.getCharPositionInLine() + 1), rule.getStop().getLine(),
                    Math::max);
            for (int i = 0; i < rule.getChildCount(); i++) {
                collectLastLines(rule.getChild(i), lastLines);
            }
        }
    }

    private static long key(int line, int column) {
        return ((long) line << 32) | column;
    }
}
