package org.nnlang.compiler.parse;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.grammar.NnLexer;
import org.nnlang.grammar.NnParser;

/**
 * Stage 1: .nn text → AST. The facade over the ANTLR grammar in {@code dsl-grammar}: nothing outside this package
 * sees a token or a parse tree.
 *
 * <p>Every syntax error goes to {@link Diagnostics}, none to the console, and none is thrown. The parser recovers
 * and goes on, so one run reports the mistakes of several statements and declarations; a declaration the parser had
 * to repair is left out of the AST, so later stages never stumble over half-parsed code.
 */
public final class SourceParser {
    private SourceParser() {
    }

    /** Parses {@code file}, reporting syntax errors to {@code diagnostics}; returns what could be recovered. */
    public static CompilationUnit parse(SourceFile file, Diagnostics diagnostics) {
        NnLexer lexer = new NnLexer(CharStreams.fromString(file.text(), file.name()));
        // The grammar's ERROR_CHAR token matches any character, so the lexer never has an error of its own.
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();

        SyntaxErrors errors = new SyntaxErrors(file, diagnostics, tokens.getTokens());
        reportLexicalErrors(tokens.getTokens(), errors);

        NnParser parser = new NnParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrorStrategy(errors));
        NnParser.CompilationUnitContext tree = parser.compilationUnit();

        AstBuilder builder = new AstBuilder(file);
        List<Declaration> declarations = new ArrayList<>();
        for (NnParser.DeclarationContext declaration : tree.declaration()) {
            if (!hasSyntaxError(declaration)) {
                declarations.add(builder.declaration(declaration));
            }
        }
        return new CompilationUnit(file, declarations);
    }

    /** Reported before parsing, so that they, not the parser's confusion they cause, are each line's error. */
    private static void reportLexicalErrors(List<Token> tokens, SyntaxErrors errors) {
        for (Token token : tokens) {
            if (token.getType() == NnLexer.ERROR_CHAR) {
                errors.report(token, "unexpected character '" + token.getText() + "'");
            } else if (token.getType() == NnLexer.UNTERMINATED_STRING) {
                errors.report(token, "unterminated string", "a string ends with '\"' on the line it starts");
            }
        }
    }

    /** Whether ANTLR had to repair anything in {@code node}: a token it made up or skipped, or a rule it gave up on. */
    private static boolean hasSyntaxError(ParseTree node) {
        if (node instanceof ErrorNode || node instanceof ParserRuleContext rule && rule.exception != null) {
            return true;
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            if (hasSyntaxError(node.getChild(i))) {
                return true;
            }
        }
        return false;
    }
}
