package org.nnlang.compiler.parse;

import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.grammar.NnLexer;
import org.nnlang.grammar.NnParser;

/**
 * Prints the ANTLR parse tree of a file, one node a line, children indented by two spaces — the format of
 * {@code nn inspect --dump tree} and of the golden tests:
 * <pre>
 * compilationUnit
 *   declaration #modelDeclaration
 *     MODEL 'model'
 *     NAME 'SeedMlp'
 *     body
 * </pre>
 * A rule is printed with the label of its alternative ({@code # name} in {@code Nn.g4}) when it has one: those labels
 * are what {@link AstBuilder} turns into AST records, so the tree shows which record each piece of text becomes.
 * Tokens are printed as their type and text; hidden tokens (comments) are not part of the tree.
 *
 * <p>Meant for text that parses (callers check with {@link SourceParser} first); a tree ANTLR had to repair would
 * show its guesses as if they had been written.
 */
public final class ParseTreePrinter {
    private ParseTreePrinter() {
    }

    public static String print(SourceFile file) {
        StringBuilder out = new StringBuilder();
        print(parse(file), 0, out);
        return out.toString();
    }

    /** Parses without reporting anything: callers have already checked that {@code file} has no syntax errors. */
    static NnParser.CompilationUnitContext parse(SourceFile file) {
        NnLexer lexer = new NnLexer(CharStreams.fromString(file.text(), file.name()));
        lexer.removeErrorListeners();
        NnParser parser = new NnParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        return parser.compilationUnit();
    }

    private static void print(ParseTree node, int depth, StringBuilder out) {
        out.append("  ".repeat(depth));
        if (node instanceof TerminalNode terminal) {
            Token token = terminal.getSymbol();
            out.append(NnLexer.VOCABULARY.getSymbolicName(token.getType())).append(' ')
                    .append(TokenPrinter.quote(token.getType() == Token.EOF ? "" : token.getText())).append('\n');
            return;
        }
        ParserRuleContext rule = (ParserRuleContext) node;
        String ruleName = NnParser.ruleNames[rule.getRuleIndex()];
        out.append(ruleName);
        String label = label(rule);
        if (!label.equals(ruleName)) {
            out.append(" #").append(label);
        }
        out.append('\n');
        for (int i = 0; i < node.getChildCount(); i++) {
            print(node.getChild(i), depth + 1, out);
        }
    }

    /** ANTLR names the context class of alternative {@code # fooBar} {@code FooBarContext}, and of rule foo FooContext. */
    private static String label(ParserRuleContext rule) {
        String name = rule.getClass().getSimpleName();
        name = name.substring(0, name.length() - "Context".length());
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
