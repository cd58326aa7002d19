package org.nnlang.compiler.check;

import java.util.stream.Collectors;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.TensorExpression;

/** Short source-like text for AST pieces and values, as messages quote them: {@code linear(128)}, {@code 'cpu'}. */
public final class Describe {
    private Describe() {
    }

    public static String expression(Expression e) {
        if (e instanceof Expression.Number n) {
            return n.text();
        } else if (e instanceof Expression.Bool b) {
            return Boolean.toString(b.value());
        } else if (e instanceof Expression.Text t) {
            return '"' + t.value() + '"';
        } else if (e instanceof Expression.Name n) {
            return n.name();
        } else if (e instanceof Expression.Call c) {
            return c.name() + arguments(c.arguments());
        } else if (e instanceof Expression.ListOf l) {
            return l.items().stream().map(Describe::expression).collect(Collectors.joining(", ", "[", "]"));
        } else if (e instanceof Expression.Negate n) {
            return "-" + expression(n.operand());
        } else {
            Expression.Binary b = (Expression.Binary) e;
            return expression(b.left()) + " " + b.operator() + " " + expression(b.right());
        }
    }

    public static String call(TensorExpression.Call call) {
        return call.name() + (call.hasParentheses() ? arguments(call.arguments()) : "");
    }

    static String arguments(java.util.List<Argument> arguments) {
        return arguments.stream()
                .map(a -> (a.isNamed() ? a.name() + " = " : "") + expression(a.value()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** What kind of thing a value is, for "expected an integer, found …" messages. */
    public static String value(Object value) {
        if (value instanceof Integer i) {
            return "the integer " + i;
        } else if (value instanceof Double d) {
            return "the number " + d;
        } else if (value instanceof Boolean b) {
            return "the boolean " + b;
        }
        return "the string \"" + value + "\"";
    }
}
