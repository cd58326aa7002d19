package org.nnlang.compiler.ast;

import java.util.List;
import org.nnlang.compiler.source.Span;

/** An expression whose value is a tensor: names, op and block calls, {@code ->} chains, {@code +}, tuples. */
public sealed interface TensorExpression {
    Span span();

    /**
     * A bare name or a call: {@code x}, {@code relu}, {@code linear(128)}, {@code residual(c = 64)}. The parser
     * cannot tell a value from an op without arguments, so the checker decides: a bare name at the start of a
     * chain that names a value in scope is that value; anything else is an op or block call.
     *
     * @param hasParentheses whether the source wrote {@code name(...)}, even with no arguments
     */
    record Call(String name, List<Argument> arguments, boolean hasParentheses, Span nameSpan, Span span)
            implements TensorExpression {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code source -> op}: the value of {@code source} flows into {@code op}. */
    record Pipe(TensorExpression source, Call op, Span span) implements TensorExpression {
    }

    /** {@code left + right}: element-wise addition of two tensors of the same shape. */
    record Add(TensorExpression left, TensorExpression right, Span span) implements TensorExpression {
    }

    /** {@code (a, b)}: several tensors flowing into one op, such as {@code concat}. */
    record Tuple(List<TensorExpression> items, Span span) implements TensorExpression {
        public Tuple {
            items = List.copyOf(items);
        }
    }
}
