package org.nnlang.compiler.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.Suggestions;

/**
 * Evaluates attribute expressions at compile time: literals, parameters of the enclosing model, and arithmetic on
 * them ({@code hidden * 2}). Results are Integer, Double, Boolean or String. Integer arithmetic stays integral while
 * it is exact ({@code 64 / 2} is {@code 32}, {@code 1 / 1000} is {@code 0.001}); whether that fits is the attribute's
 * business.
 *
 * <p>Returns {@code null} after reporting a problem, so the caller can skip the attribute without a second message.
 */
public final class Constants {
    private Constants() {
    }

    public static Object evaluate(Expression expression, Map<String, Object> scope, Diagnostics diagnostics) {
        if (expression instanceof Expression.Number n) {
            return n.isInteger() && n.value() <= Integer.MAX_VALUE ? (Object) (int) n.value() : (Object) n.value();
        } else if (expression instanceof Expression.Bool b) {
            return b.value();
        } else if (expression instanceof Expression.Text t) {
            return t.value();
        } else if (expression instanceof Expression.Name name) {
            Object value = scope.get(name.name());
            if (value == null) {
                diagnostics.error(name.span(), "unknown name '" + name.name() + "'",
                        Suggestions.didYouMean(name.name(), scope.keySet()));
            }
            return value;
        } else if (expression instanceof Expression.Negate negate) {
            Object operand = evaluate(negate.operand(), scope, diagnostics);
            if (operand instanceof Integer i) {
                return -i;
            } else if (operand instanceof Double d) {
                return -d;
            }
            return operand == null ? null : notANumber(negate.operand(), operand, diagnostics);
        } else if (expression instanceof Expression.Binary binary) {
            return arithmetic(binary, scope, diagnostics);
        } else {
            diagnostics.error(expression.span(), "expected a number, true/false, a string or a name here, found "
                    + Describe.expression(expression));
            return null;
        }
    }

    private static Object arithmetic(Expression.Binary binary, Map<String, Object> scope, Diagnostics diagnostics) {
        Object left = evaluate(binary.left(), scope, diagnostics);
        Object right = evaluate(binary.right(), scope, diagnostics);
        if (left == null || right == null) {
            return null;
        }
        if (!(left instanceof Number)) {
            return notANumber(binary.left(), left, diagnostics);
        }
        if (!(right instanceof Number)) {
            return notANumber(binary.right(), right, diagnostics);
        }
        char op = binary.operator();
        if ((op == '/' || op == '%') && ((Number) right).doubleValue() == 0) {
            diagnostics.error(binary.span(), "division by zero in '" + Describe.expression(binary) + "'");
            return null;
        }
        if (left instanceof Integer a && right instanceof Integer b) {
            long exact = switch (op) {
                case '+' -> (long) a + b;
                case '-' -> (long) a - b;
                case '*' -> (long) a * b;
                case '%' -> a % b;
                default -> a % b == 0 ? a / b : Long.MIN_VALUE;
            };
            if (exact == Long.MIN_VALUE) {
                return (double) a / b;
            }
            if (exact > Integer.MAX_VALUE || exact < Integer.MIN_VALUE) {
                diagnostics.error(binary.span(), "'" + Describe.expression(binary) + "' is too large (" + exact
                        + ")");
                return null;
            }
            return (int) exact;
        }
        double a = ((Number) left).doubleValue();
        double b = ((Number) right).doubleValue();
        return switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            case '%' -> a % b;
            default -> a / b;
        };
    }

    private static Object notANumber(Expression where, Object value, Diagnostics diagnostics) {
        diagnostics.error(where.span(), "arithmetic needs numbers, but '" + Describe.expression(where) + "' is "
                + Describe.value(value));
        return null;
    }

    /** Evaluates each item, keeping {@code null} for those that failed. */
    public static List<Object> evaluateAll(List<Expression> expressions, Map<String, Object> scope,
                                           Diagnostics diagnostics) {
        List<Object> values = new ArrayList<>();
        for (Expression e : expressions) {
            values.add(evaluate(e, scope, diagnostics));
        }
        return values;
    }
}
