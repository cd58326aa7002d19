package org.nnlang.compiler.parse;

import static org.nnlang.grammar.NnParser.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.nnlang.compiler.source.Suggestions;

/**
 * Words for what the parser wanted and what it found, for messages like {@code expected ',' or ')' but found
 * 'relu'}. ANTLR knows the exact set of tokens that could have come next; listed raw, that set is a wall of
 * punctuation, so the groups a student thinks in ("a value", "a statement") replace the tokens they stand for.
 */
final class Expectations {
    private static final Set<Integer> KEYWORDS =
            Set.of(IMPORT, MODEL, BLOCK, TRAIN, DISTILL, PRUNE, FROM, INPUT, OUTPUT, REPEAT, TRUE, FALSE);
    private static final Set<Integer> DECLARATION_STARTS = Set.of(IMPORT, MODEL, BLOCK, TRAIN, DISTILL, PRUNE);
    private static final Set<Integer> CLOSERS = Set.of(RPAREN, RBRACKET, RBRACE);
    /** Operators can always follow a complete value, so listing them only hides what is actually missing. */
    private static final Set<Integer> OPERATORS = Set.of(ARROW, PLUS, MINUS, STAR, SLASH, PERCENT);

    private Expectations() {
    }

    /** What the parser found: {@code 'relu'}, {@code end of line} or {@code end of file}. */
    static String found(Token token) {
        return switch (token.getType()) {
            case Token.EOF -> "end of file";
            case NEWLINE -> "end of line";
            default -> "'" + token.getText() + "'";
        };
    }

    /** What the parser expected: {@code a value}, {@code ',' or ')'}, {@code end of line}, ... */
    static String expected(IntervalSet tokenTypes) {
        Set<Integer> left = new LinkedHashSet<>(tokenTypes.toList());
        List<String> words = new ArrayList<>();
        if (left.contains(NUMBER)) {
            words.add("a value");
            left.removeAll(KEYWORDS);
            left.removeAll(List.of(NUMBER, STRING, NAME, LPAREN, LBRACKET, MINUS));
        } else if (left.contains(NAME) && left.contains(INPUT) && left.contains(LPAREN)) {
            words.add("a statement");
            left.removeAll(List.of(NAME, INPUT, OUTPUT, REPEAT, LPAREN, NEWLINE, SEMICOLON, RBRACE));
        } else if (left.contains(NAME)) {
            words.add("a name");
            left.removeAll(KEYWORDS);
            left.remove(NAME);
        } else if (left.contains(MODEL)) {
            words.add("a declaration (model, block, train, distill, prune or import)");
            left.removeAll(DECLARATION_STARTS);
            left.removeAll(List.of(NEWLINE, Token.EOF));
        }
        if (left.remove(NEWLINE)) {
            // A line break ends a statement, and says so more plainly than ';' or '}'.
            words.add("end of line");
            left.removeAll(List.of(SEMICOLON, RBRACE, Token.EOF));
        }
        if (!words.isEmpty() || !OPERATORS.containsAll(left)) {
            left.removeAll(OPERATORS);
        }
        // Closing brackets last, the order they are written in: "',' or ')'".
        List<Integer> rest = new ArrayList<>(left);
        rest.sort(Comparator.comparing(CLOSERS::contains));
        for (int type : rest) {
            words.add(describe(type));
        }
        return join(words);
    }

    private static String describe(int tokenType) {
        return switch (tokenType) {
            case Token.EOF -> "end of file";
            case NUMBER -> "a number";
            case STRING -> "a string";
            default -> VOCABULARY.getLiteralName(tokenType);
        };
    }

    /**
     * Notes for the error: "did you mean 'from'?" when the name found is a misspelt keyword that would have fitted,
     * and what a name looks like when a number stands where a name should.
     */
    static String[] suggestions(Token found, IntervalSet tokenTypes) {
        if (found.getType() == NUMBER && tokenTypes.contains(NAME)) {
            return new String[] {"a name starts with a letter or '_'"};
        }
        if (found.getType() != NAME) {
            return new String[0];
        }
        List<String> keywords = new ArrayList<>();
        for (int type : tokenTypes.toList()) {
            if (KEYWORDS.contains(type)) {
                keywords.add(VOCABULARY.getLiteralName(type).replace("'", ""));
            }
        }
        return Suggestions.didYouMean(found.getText(), keywords);
    }

    private static String join(List<String> words) {
        if (words.size() <= 1) {
            return words.isEmpty() ? "something else" : words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
