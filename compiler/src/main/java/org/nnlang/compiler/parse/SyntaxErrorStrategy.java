package org.nnlang.compiler.parse;

import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.nnlang.grammar.NnParser;

/**
 * ANTLR's error recovery, with messages a student understands and with resynchronisation in the places a reader
 * would resynchronise (as jlox's {@code Parser.synchronize} does):
 * <ul>
 * <li>inside a body, a statement that cannot go on is skipped to the end of its line, so the next line is parsed
 *     afresh;</li>
 * <li>between declarations, and after a broken declaration header, everything is skipped up to the next word that
 *     starts a declaration, so the body of a declaration whose header failed does not turn into a dozen errors.</li>
 * </ul>
 * ANTLR's own single-token insertion and deletion still repair a missing {@code '='} or a stray {@code ')'} on the
 * spot.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {
    private static final IntervalSet DECLARATION_STARTS = new IntervalSet(NnParser.IMPORT, NnParser.MODEL,
            NnParser.BLOCK, NnParser.TRAIN, NnParser.DISTILL, NnParser.PRUNE, Token.EOF);
    private static final IntervalSet STATEMENT_ENDS =
            new IntervalSet(NnParser.NEWLINE, NnParser.SEMICOLON, NnParser.RBRACE, Token.EOF);
    private static final int[] CLOSERS = {NnParser.RPAREN, NnParser.RBRACKET, NnParser.RBRACE};

    private final SyntaxErrors errors;

    SyntaxErrorStrategy(SyntaxErrors errors) {
        this.errors = errors;
    }

    /** Called by the parser before each choice; in lists of declarations or statements it resynchronises itself. */
    @Override
    public void sync(Parser parser) {
        ParserRuleContext context = parser.getContext();
        if (context instanceof NnParser.CompilationUnitContext) {
            skipUnexpected(parser, DECLARATION_STARTS);
        } else if (context instanceof NnParser.BodyContext || context instanceof NnParser.SettingsContext) {
            skipUnexpected(parser, STATEMENT_ENDS);
        } else {
            super.sync(parser);
        }
    }

    /**
     * ANTLR remembers where the parser last passed an optional part (nextTokensContext), to list that part's
     * tokens too if the next match fails: "expected ',' or ')'" rather than "expected ')'". Once a token has been
     * matched that memory is stale, and would make a later error list what was expected somewhere else.
     */
    @Override
    public void reportMatch(Parser parser) {
        super.reportMatch(parser);
        nextTokensContext = null;
    }

    private void skipUnexpected(Parser parser, IntervalSet resumeAt) {
        IntervalSet expected = parser.getExpectedTokens();
        if (expected.contains(parser.getInputStream().LA(1))) {
            return;
        }
        if (!inErrorRecoveryMode(parser)) {
            beginErrorCondition(parser);
            report(parser, parser.getCurrentToken(), expected);
        }
        consumeUntil(parser, resumeAt);
    }

    /** Outside any body, recovery goes to the next declaration; inside one, ANTLR's follow sets do well. */
    @Override
    protected IntervalSet getErrorRecoverySet(Parser parser) {
        for (ParserRuleContext c = parser.getContext(); c != null; c = c.getParent()) {
            if (c instanceof NnParser.BodyContext || c instanceof NnParser.SettingsContext) {
                return super.getErrorRecoverySet(parser);
            }
        }
        return DECLARATION_STARTS;
    }

    /**
     * ANTLR repairs some mistakes by skipping one token. Skipping a line break is never the repair the user meant: it
     * joins the next line onto a broken one, and that line's correct code then gets reported too.
     */
    @Override
    protected Token singleTokenDeletion(Parser parser) {
        return parser.getInputStream().LA(1) == NnParser.NEWLINE ? null : super.singleTokenDeletion(parser);
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(parser, e.getOffendingToken(), e.getExpectedTokens());
    }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        Token found = e.getOffendingToken();
        if (found.getTokenIndex() == e.getStartToken().getTokenIndex()) {
            report(parser, found, e.getExpectedTokens());
        } else {
            // The parser looked several tokens ahead before giving up; what it expected was at the first of them.
            errors.report(found, "unexpected " + Expectations.found(found));
        }
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (!inErrorRecoveryMode(parser)) {
            beginErrorCondition(parser);
            report(parser, parser.getCurrentToken(), getExpectedTokens(parser));
        }
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (!inErrorRecoveryMode(parser)) {
            beginErrorCondition(parser);
            report(parser, parser.getCurrentToken(), getExpectedTokens(parser));
        }
    }

    private void report(Parser parser, Token found, IntervalSet expected) {
        errors.report(found, message(parser.getInputStream(), found, expected),
                Expectations.suggestions(found, expected));
    }

    private static String message(TokenStream tokens, Token found, IntervalSet expected) {
        if (previousToken(tokens, found) == NnParser.ARROW) {
            return "expected an op after '->' but found " + Expectations.found(found);
        }
        if (found.getType() == Token.EOF) {
            // At the end of the file the useful news is which bracket was left open.
            for (int closer : CLOSERS) {
                if (expected.contains(closer)) {
                    return "missing " + NnParser.VOCABULARY.getLiteralName(closer) + " at end of file";
                }
            }
        }
        return "expected " + Expectations.expected(expected) + " but found " + Expectations.found(found);
    }

    /** The type of the last token the parser saw before {@code token}, or EOF at the start of the file. */
    private static int previousToken(TokenStream tokens, Token token) {
        for (int i = token.getTokenIndex() - 1; i >= 0; i--) {
            Token previous = tokens.get(i);
            if (previous.getChannel() == Token.DEFAULT_CHANNEL) {
                return previous.getType();
            }
        }
        return Token.EOF;
    }
}
