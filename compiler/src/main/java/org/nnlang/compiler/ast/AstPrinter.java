package org.nnlang.compiler.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints an AST as nested, S-expression-like lists, one declaration or statement a line — the format of
 * {@code nn inspect --dump ast} and of the golden tests. Spans are left out (they are not part of a tree's meaning);
 * nesting shows how the parser grouped things, e.g. that {@code a -> b -> c} is {@code (pipe (pipe a b) c)}:
 * <pre>
 * (model SeedMlp
 *   (input image [1 28 28])
 *   (flow (call flatten))
 *   (flow (call linear 128)))
 * (train SeedMlp
 *   (setting optimizer (call adam lr=0.001)))
 * </pre>
 * Named arguments print as {@code key=value}; a call written with empty parentheses, {@code relu()}, as
 * {@code (call relu ())}; strings quoted and escaped as in source.
 */
public final class AstPrinter {
    private static final String INDENT = "  ";

    private AstPrinter() {
    }

    public static String print(CompilationUnit unit) {
        StringBuilder out = new StringBuilder();
        for (Declaration declaration : unit.declarations()) {
            out.append(print(declaration)).append('\n');
        }
        return out.toString();
    }

    public static String print(Declaration declaration) {
        if (declaration instanceof Declaration.Import d) {
            return "(import " + quote(d.path()) + ")";
        }
        if (declaration instanceof Declaration.Model d) {
            return "(model " + d.name() + parameters(d.parameters()) + statements(d.body(), 1) + ")";
        }
        if (declaration instanceof Declaration.Block d) {
            return "(block " + d.name() + parameters(d.parameters()) + statements(d.body(), 1) + ")";
        }
        if (declaration instanceof Declaration.Train d) {
            String arguments = d.modelArguments().isEmpty() ? "" : " (arguments" + arguments(d.modelArguments()) + ")";
            return "(train " + d.model() + arguments + settings(d.settings()) + ")";
        }
        if (declaration instanceof Declaration.Distill d) {
            return "(distill " + d.student() + " from " + d.teacher() + settings(d.settings()) + ")";
        }
        if (declaration instanceof Declaration.Prune d) {
            return "(prune " + d.model() + settings(d.settings()) + ")";
        }
        throw new IllegalArgumentException("AstPrinter has no case for " + declaration.getClass().getSimpleName());
    }

    private static String parameters(List<Parameter> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.stream()
                .map(p -> p.isRequired() ? p.name() : p.name() + "=" + print(p.defaultValue()))
                .collect(Collectors.joining(" ", " (parameters ", ")"));
    }

    private static String settings(List<Setting> settings) {
        StringBuilder out = new StringBuilder();
        for (Setting setting : settings) {
            out.append('\n').append(INDENT).append("(setting ").append(setting.key()).append(' ')
                    .append(print(setting.value())).append(')');
        }
        return out.toString();
    }

    private static String statements(List<Statement> statements, int depth) {
        StringBuilder out = new StringBuilder();
        for (Statement statement : statements) {
            out.append('\n').append(INDENT.repeat(depth)).append(print(statement, depth));
        }
        return out.toString();
    }

    private static String print(Statement statement, int depth) {
        if (statement instanceof Statement.Input s) {
            return "(input " + s.name() + " " + list(s.dimensions()) + ")";
        }
        if (statement instanceof Statement.Flow s) {
            return "(flow " + (s.target() == null ? "" : s.target() + " ") + print(s.value()) + ")";
        }
        if (statement instanceof Statement.Repeat s) {
            return "(repeat " + print(s.count()) + statements(s.body(), depth + 1) + ")";
        }
        if (statement instanceof Statement.Output s) {
            return "(output " + s.name() + ")";
        }
        throw new IllegalArgumentException("AstPrinter has no case for " + statement.getClass().getSimpleName());
    }

    public static String print(TensorExpression tensor) {
        if (tensor instanceof TensorExpression.Call t) {
            String arguments = t.hasParentheses() && t.arguments().isEmpty() ? " ()" : arguments(t.arguments());
            return "(call " + t.name() + arguments + ")";
        }
        if (tensor instanceof TensorExpression.Pipe t) {
            return "(pipe " + print(t.source()) + " " + print(t.op()) + ")";
        }
        if (tensor instanceof TensorExpression.Add t) {
            return "(add " + print(t.left()) + " " + print(t.right()) + ")";
        }
        if (tensor instanceof TensorExpression.Tuple t) {
            return t.items().stream().map(AstPrinter::print).collect(Collectors.joining(" ", "(tuple ", ")"));
        }
        throw new IllegalArgumentException("AstPrinter has no case for " + tensor.getClass().getSimpleName());
    }

    public static String print(Expression expression) {
        if (expression instanceof Expression.Number e) {
            return e.text();
        }
        if (expression instanceof Expression.Bool e) {
            return String.valueOf(e.value());
        }
        if (expression instanceof Expression.Text e) {
            return quote(e.value());
        }
        if (expression instanceof Expression.Name e) {
            return e.name();
        }
        if (expression instanceof Expression.Call e) {
            return "(call " + e.name() + arguments(e.arguments()) + ")";
        }
        if (expression instanceof Expression.ListOf e) {
            return list(e.items());
        }
        if (expression instanceof Expression.Negate e) {
            return "(- " + print(e.operand()) + ")";
        }
        if (expression instanceof Expression.Binary e) {
            return "(" + e.operator() + " " + print(e.left()) + " " + print(e.right()) + ")";
        }
        throw new IllegalArgumentException("AstPrinter has no case for " + expression.getClass().getSimpleName());
    }

    private static String arguments(List<Argument> arguments) {
        StringBuilder out = new StringBuilder();
        for (Argument argument : arguments) {
            out.append(' ');
            if (argument.isNamed()) {
                out.append(argument.name()).append('=');
            }
            out.append(print(argument.value()));
        }
        return out.toString();
    }

    private static String list(List<Expression> items) {
        return items.stream().map(AstPrinter::print).collect(Collectors.joining(" ", "[", "]"));
    }

    /** A string as source would write it: in double quotes, with {@code " \ newline tab} escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
