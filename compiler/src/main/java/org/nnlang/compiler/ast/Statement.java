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

    /** {@code output name}: which value the model or block returns (otherwise the last one). */
    record Output(String name, Span span) implements Statement {
    }
}
