package org.nnlang.compiler.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Parameter;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.Span;
import org.nnlang.compiler.source.Suggestions;

/**
 * Gives a model's (or block's) parameters their values for one use: the call's arguments, positional then named,
 * and the declared defaults for the rest. A default may use earlier parameters ({@code model M(a = 8, b = a * 2)}).
 */
public final class ParameterBinder {
    private ParameterBinder() {
    }

    /** @return the values by name, or {@code null} after reporting a problem */
    public static Map<String, Object> bind(String what, List<Parameter> parameters, List<Argument> arguments,
                                           Map<String, Object> callerScope, Span callSpan,
                                           Diagnostics diagnostics) {
        int errorsBefore = diagnostics.errorCount();
        List<String> names = parameters.stream().map(Parameter::name).toList();
        Map<String, Object> given = new LinkedHashMap<>();
        boolean sawNamed = false;
        for (int i = 0; i < arguments.size(); i++) {
            Argument argument = arguments.get(i);
            String name;
            if (argument.isNamed()) {
                sawNamed = true;
                name = argument.name();
                if (!names.contains(name)) {
                    diagnostics.error(argument.span(), what + " has no parameter '" + name + "'",
                            Suggestions.didYouMean(name, names));
                    continue;
                }
            } else if (sawNamed) {
                diagnostics.error(argument.span(), "positional argument after a named one in " + what);
                continue;
            } else if (i >= names.size()) {
                diagnostics.error(argument.span(), what + " takes " + names.size() + " parameter"
                        + (names.size() == 1 ? "" : "s") + ", got " + arguments.size());
                continue;
            } else {
                name = names.get(i);
            }
            if (given.containsKey(name)) {
                diagnostics.error(argument.span(), "parameter '" + name + "' of " + what + " is given twice");
                continue;
            }
            given.put(name, Constants.evaluate(argument.value(), callerScope, diagnostics));
        }
        Map<String, Object> bound = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            if (given.containsKey(parameter.name())) {
                bound.put(parameter.name(), given.get(parameter.name()));
            } else if (parameter.isRequired()) {
                diagnostics.error(callSpan, what + " needs a value for parameter '" + parameter.name() + "'");
            } else {
                bound.put(parameter.name(), Constants.evaluate(parameter.defaultValue(), bound, diagnostics));
            }
        }
        return diagnostics.errorCount() == errorsBefore ? bound : null;
    }
}
