package org.nnlang.compiler.check;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ops.Signature;
import org.nnlang.compiler.ops.Signature.Attribute;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.Span;
import org.nnlang.compiler.source.Suggestions;

/**
 * Matches the arguments of a call ({@code linear(128, bias = false)}) to an op's {@link Signature}: positional ones
 * in order, then named ones; fills in defaults; checks types and ranges. Every problem is reported at the argument
 * that caused it, and binding goes on so one call reports all of its mistakes.
 */
public final class AttributeBinder {
    private AttributeBinder() {
    }

    /**
     * @param what     how the callee is named in messages, e.g. {@code linear} or {@code optimizer adam}
     * @param callSpan where to report a missing attribute
     * @return every attribute by name (Integer, Double or Boolean), or {@code null} if any argument was wrong
     */
    public static Map<String, Object> bind(String what, Signature signature, List<Argument> arguments,
                                           Map<String, Object> scope, Span callSpan, Diagnostics diagnostics) {
        int errorsBefore = diagnostics.errorCount();
        Map<String, Object> bound = new LinkedHashMap<>();
        Map<String, Span> givenAt = new HashMap<>();
        boolean sawNamed = false;
        List<Attribute> attributes = signature.attributes();
        for (int i = 0; i < arguments.size(); i++) {
            Argument argument = arguments.get(i);
            Attribute attribute;
            if (argument.isNamed()) {
                sawNamed = true;
                attribute = signature.find(argument.name()).orElse(null);
                if (attribute == null) {
                    diagnostics.error(argument.span(), what + " has no attribute '" + argument.name() + "'",
                            hint(what, signature, argument.name()));
                    continue;
                }
            } else if (sawNamed) {
                diagnostics.error(argument.span(), "positional argument after a named one in " + what,
                        "write it as name = value, or move it before the named arguments");
                continue;
            } else if (i >= attributes.size()) {
                diagnostics.error(argument.span(), what + " takes " + countText(attributes.size())
                        + ", got " + arguments.size(), "signature: " + signature.describe(what));
                continue;
            } else {
                attribute = attributes.get(i);
            }
            if (givenAt.containsKey(attribute.name())) {
                diagnostics.error(argument.span(), "attribute '" + attribute.name() + "' of " + what
                        + " is given twice", "first given at " + givenAt.get(attribute.name()));
                continue;
            }
            givenAt.put(attribute.name(), argument.span());
            if (attribute.type() == Signature.Type.PADDING && argument.value() instanceof Expression.Name word
                    && word.name().equals("same") && !scope.containsKey("same")) {
                bound.put(attribute.name(), "same");
                continue;
            }
            Object value = Constants.evaluate(argument.value(), scope, diagnostics);
            Object checked = value == null ? null : convert(what, attribute, value, argument, diagnostics);
            if (checked != null) {
                bound.put(attribute.name(), checked);
            }
        }
        for (Attribute attribute : attributes) {
            if (!givenAt.containsKey(attribute.name())) {
                if (attribute.defaultValue() == null) {
                    diagnostics.error(callSpan, what + " needs attribute '" + attribute.name() + "'",
                            "signature: " + signature.describe(what));
                } else if (attribute.defaultValue() instanceof Signature.SameAs sameAs) {
                    bound.put(attribute.name(), bound.get(sameAs.attribute()));
                } else {
                    bound.put(attribute.name(), attribute.defaultValue());
                }
            }
        }
        return diagnostics.errorCount() == errorsBefore ? bound : null;
    }

    private static Object convert(String what, Attribute attribute, Object value, Argument argument,
                                  Diagnostics diagnostics) {
        Object converted = switch (attribute.type()) {
            case INT, PADDING -> value instanceof Integer ? value : null;
            case FLOAT -> value instanceof Number n ? (Object) n.doubleValue() : null;
            case BOOL -> value instanceof Boolean ? value : null;
        };
        if (converted == null) {
            diagnostics.error(argument.value().span(), "'" + attribute.name() + "' of " + what + " must be "
                    + attribute.type().description() + ", found " + Describe.value(value));
            return null;
        }
        if (attribute.min() != null && ((Number) converted).doubleValue() < attribute.min().doubleValue()) {
            diagnostics.error(argument.value().span(), "'" + attribute.name() + "' of " + what + " must be at least "
                    + attribute.min() + ", found " + value);
            return null;
        }
        return converted;
    }

    private static String[] hint(String what, Signature signature, String name) {
        String[] suggestion = Suggestions.didYouMean(name, signature.names());
        return suggestion.length > 0 ? suggestion : new String[] {"signature: " + signature.describe(what)};
    }

    private static String countText(int count) {
        return count == 0 ? "no arguments" : "at most " + count + " argument" + (count == 1 ? "" : "s");
    }
}
