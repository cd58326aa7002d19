package org.nnlang.compiler.ast;

import java.util.List;
import org.nnlang.compiler.source.Span;

/** A value of an attribute or setting: numbers, booleans, strings, names, lists, calls and arithmetic. */
public sealed interface Expression {
    Span span();

    /** A number as written; {@code isInteger} is true for literals without a '.' or exponent. */
    record Number(double value, boolean isInteger, String text, Span span) implements Expression {
    }

    record Bool(boolean value, Span span) implements Expression {
    }

    /** A string literal, without its quotes and with escapes resolved. */
    record Text(String value, Span span) implements Expression {
    }

    /** A name: a parameter ({@code hidden}), a symbolic dimension, or a word such as {@code same} or {@code cpu}. */
    record Name(String name, Span span) implements Expression {
    }

    /** {@code adam(lr = 0.001)}, {@code idx("dir")}: a named thing with arguments, used in settings. */
    record Call(String name, List<Argument> arguments, Span nameSpan, Span span) implements Expression {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code [conv2d, fc1]}. */
    record ListOf(List<Expression> items, Span span) implements Expression {
        public ListOf {
            items = List.copyOf(items);
        }
    }

    /** {@code -x}. */
    record Negate(Expression operand, Span span) implements Expression {
    }

    /** {@code a * b}, with {@code operator} one of {@code + - * / %}. */
    record Binary(char operator, Expression left, Expression right, Span span) implements Expression {
    }
}
