package org.nnlang.compiler.parse;

import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.Parameter;
import org.nnlang.compiler.ast.Setting;
import org.nnlang.compiler.ast.Statement;
import org.nnlang.compiler.ast.TensorExpression;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;
import org.nnlang.grammar.NnParser;
import org.nnlang.grammar.NnParser.*;

/**
 * Turns the parse tree of one declaration into AST records, one method per grammar rule and one case per labelled
 * alternative. It only ever sees trees without syntax errors (SourceParser leaves the others out), so anything it
 * does not recognise is a grammar alternative nobody taught it, and it throws instead of guessing.
 */
final class AstBuilder {
    private final SourceFile file;

    AstBuilder(SourceFile file) {
        this.file = file;
    }

    Declaration declaration(DeclarationContext node) {
        if (node instanceof ImportDeclarationContext d) {
            return new Declaration.Import(unquote(d.path.getText()), span(d));
        }
        if (node instanceof ModelDeclarationContext d) {
            return new Declaration.Model(d.name.getText(), parameters(d.parameterList()), statements(d.body()),
                    span(d.name), span(d));
        }
        if (node instanceof BlockDeclarationContext d) {
            return new Declaration.Block(d.name.getText(), parameters(d.parameterList()), statements(d.body()),
                    span(d.name), span(d));
        }
        if (node instanceof TrainDeclarationContext d) {
            return new Declaration.Train(d.model.getText(), arguments(d.arguments()), settings(d.settings()),
                    span(d.model), span(d));
        }
        if (node instanceof DistillDeclarationContext d) {
            return new Declaration.Distill(d.student.getText(), d.teacher.getText(), settings(d.settings()),
                    span(d.student), span(d.teacher), span(d));
        }
        if (node instanceof PruneDeclarationContext d) {
            return new Declaration.Prune(d.model.getText(), settings(d.settings()), span(d.model), span(d));
        }
        throw unhandled(node);
    }

    /** A model or block without a parameter list has no parameters. */
    private List<Parameter> parameters(ParameterListContext node) {
        return node == null ? List.of() : map(node.parameter(), p -> new Parameter(p.identifier().getText(),
                p.defaultValue == null ? null : expression(p.defaultValue), span(p)));
    }

    private List<Statement> statements(BodyContext node) {
        return map(node.statement(), this::statement);
    }

    private List<Setting> settings(SettingsContext node) {
        return map(node.setting(), s -> new Setting(s.key.getText(), expression(s.value), span(s.key), span(s)));
    }

    private Statement statement(StatementContext node) {
        if (node instanceof InputStatementContext s) {
            return new Statement.Input(s.name.getText(), map(s.dimensions, this::expression), span(s.name), span(s));
        }
        if (node instanceof OutputStatementContext s) {
            return new Statement.Output(s.name.getText(), span(s));
        }
        if (node instanceof NamedFlowStatementContext s) {
            return new Statement.Flow(s.target.getText(), tensor(s.value), span(s.target), span(s));
        }
        if (node instanceof FlowStatementContext s) {
            return new Statement.Flow(null, tensor(s.value), null, span(s));
        }
        if (node instanceof RepeatStatementContext s) {
            return new Statement.Repeat(expression(s.count), statements(s.body()), span(s.start), span(s));
        }
        throw unhandled(node);
    }

    private TensorExpression tensor(TensorContext node) {
        if (node instanceof PipeTensorContext t) {
            return new TensorExpression.Pipe(tensor(t.source), call(t.op), span(t));
        }
        if (node instanceof AddTensorContext t) {
            return new TensorExpression.Add(tensor(t.left), tensor(t.right), span(t));
        }
        if (node instanceof CallTensorContext t) {
            return call(t.call());
        }
        if (node instanceof GroupTensorContext t) {
            // One item in parentheses only groups, as in (x + y) -> relu; several make a tuple for ops like concat.
            return t.items.size() == 1
                    ? tensor(t.items.get(0))
                    : new TensorExpression.Tuple(map(t.items, this::tensor), span(t));
        }
        throw unhandled(node);
    }

    private TensorExpression.Call call(CallContext node) {
        return new TensorExpression.Call(node.name.getText(), arguments(node.arguments()), node.open != null,
                span(node.name), span(node));
    }

    /** Arguments of a call; a call written without any has none. */
    private List<Argument> arguments(ArgumentsContext node) {
        return node == null ? List.of() : map(node.argument(), this::argument);
    }

    private Argument argument(ArgumentContext node) {
        if (node instanceof NamedArgumentContext a) {
            return new Argument(a.key.getText(), expression(a.value), span(a));
        }
        if (node instanceof PositionalArgumentContext a) {
            return new Argument(null, expression(a.value), span(a));
        }
        throw unhandled(node);
    }

    private Expression expression(ExpressionContext node) {
        if (node instanceof GroupValueContext e) {
            return expression(e.inner);
        }
        if (node instanceof NegateValueContext e) {
            return new Expression.Negate(expression(e.operand), span(e));
        }
        if (node instanceof MultiplyValueContext e) {
            return binary(e.op, e.left, e.right, e);
        }
        if (node instanceof AddValueContext e) {
            return binary(e.op, e.left, e.right, e);
        }
        if (node instanceof NumberValueContext e) {
            String text = e.getText();
            boolean isInteger = text.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
            return new Expression.Number(Double.parseDouble(text), isInteger, text, span(e));
        }
        if (node instanceof BoolValueContext e) {
            return new Expression.Bool(e.literal.getType() == NnParser.TRUE, span(e));
        }
        if (node instanceof TextValueContext e) {
            return new Expression.Text(unquote(e.getText()), span(e));
        }
        if (node instanceof CallValueContext e) {
            return new Expression.Call(e.callee.getText(), arguments(e.arguments()), span(e.callee), span(e));
        }
        if (node instanceof NameValueContext e) {
            return new Expression.Name(e.getText(), span(e));
        }
        if (node instanceof ListValueContext e) {
            return new Expression.ListOf(map(e.items, this::expression), span(e));
        }
        throw unhandled(node);
    }

    private Expression binary(Token operator, ExpressionContext left, ExpressionContext right, ExpressionContext node) {
        return new Expression.Binary(operator.getText().charAt(0), expression(left), expression(right), span(node));
    }

    /**
     * The text of a string literal without its quotes. {@code \"}, {@code \\}, {@code \n} and {@code \t} are
     * escapes; any other backslash is kept as written, so a Windows path such as {@code "C:\data"} means itself.
     */
    static String unquote(String literal) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                char next = literal.charAt(++i);
                switch (next) {
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    case '"', '\\' -> text.append(next);
                    default -> text.append(c).append(next);
                }
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private Span span(Token token) {
        return Spans.of(file, token);
    }

    private Span span(ParserRuleContext node) {
        return Spans.of(file, node);
    }

    private static <N, R> List<R> map(List<N> nodes, Function<N, R> build) {
        return nodes.stream().map(build).toList();
    }

    private static IllegalStateException unhandled(ParserRuleContext node) {
        return new IllegalStateException("AstBuilder has no case for " + node.getClass().getSimpleName()
                + " of grammar rule '" + NnParser.ruleNames[node.getRuleIndex()] + "'");
    }
}
