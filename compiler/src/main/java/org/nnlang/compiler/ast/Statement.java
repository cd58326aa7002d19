package org.nnlang.compiler.ast;

import java.util.List;
import org.nnlang.compiler.source.Span;

/** One line of a model or block body. */
public sealed interface Statement {
    Span span();

    /** {@code input x: [1, 28, 28]}: the shape of one sample (no batch dimension); dims may be symbolic names. */
    record Input(String name, List<Expression> dimensions, Span nameSpan, Span span) implements Statement {
        public Input {
            dimensions = List.copyOf(dimensions);
        }
    }

    /**
     * A tensor expression, optionally named: {@code y = x -> relu} or just {@code linear(128)}. When the expression
     * starts with an op, its input is the value of the previous statement.
     *
     * @param target the name given to the value, or {@code null}
     */
    record Flow(String target, TensorExpression value, Span targetSpan, Span span) implements Statement {
    }

    /**
     * {@code repeat n { statements }}: the statements {@code n} times in a row, each round continuing from the value
     * the previous one ended with (a stack of identical layers or blocks without writing them out).
     *
     * @param keywordSpan the word {@code repeat}, where errors about the count point when the count has no span
     */
    record Repeat(Expression count, List<Statement> body, Span keywordSpan, Span span) implements Statement {
        public Repeat {
            body = List.copyOf(body);
        }
    }

    /** {@code output name}: which value the model or block returns (otherwise the last one). */
    record Output(String name, Span span) implements Statement {
    }
}
