package org.nnlang.compiler.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.Parameter;
import org.nnlang.compiler.ast.Setting;
import org.nnlang.compiler.ast.Statement;
import org.nnlang.compiler.ast.TensorExpression;
import org.nnlang.compiler.source.Span;

/**
 * Random ASTs of programs that parse: models, blocks, repeat, chains, sums, tuples, settings, attribute arithmetic,
 * strings with characters that need escaping. Whether they would check (shapes, known ops) does not matter to the
 * formatter, so names are drawn from small plausible lists. Seeded: a failing case is reproduced by its seed.
 */
final class RandomPrograms {
    private static final Span NO_SPAN = Span.synthetic();
    private static final List<String> NAMES = List.of("x", "h", "features", "deeper", "skip", "out", "c", "k");
    private static final List<String> OPS = List.of("linear", "relu", "flatten", "conv2d", "concat", "dropout",
            "residual", "max_pool2d");
    /** Where the grammar takes an identifier, keywords are names too. */
    private static final List<String> IDENTIFIERS = List.of("lr", "out", "kernel", "stride", "bias", "momentum",
            "input", "model", "from", "repeat", "data", "batch");
    private static final List<String> NUMBERS = List.of("0", "1", "3", "28", "128", "0.5", "0.001", "1e-8", "2.5E3",
            "10", "007");
    private static final String TEXT_CHARS = "abc XYZ/.\\\"\n\t#_";

    private final Random random;

    RandomPrograms(long seed) {
        this.random = new Random(seed);
    }

    List<Declaration> program() {
        List<Declaration> declarations = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            declarations.add(declaration());
        }
        return declarations;
    }

    private Declaration declaration() {
        return switch (random.nextInt(10)) {
            case 0 -> new Declaration.Import(text(), NO_SPAN);
            case 1, 2 -> new Declaration.Block("block" + random.nextInt(3), parameters(), body(0), NO_SPAN, NO_SPAN);
            case 3, 4 -> new Declaration.Train("Model" + random.nextInt(3), arguments(2), settings(), NO_SPAN,
                    NO_SPAN);
            case 5 -> new Declaration.Distill("Student", "Teacher", settings(), NO_SPAN, NO_SPAN, NO_SPAN);
            case 6 -> new Declaration.Prune("Model", settings(), NO_SPAN, NO_SPAN);
            default -> new Declaration.Model("Model" + random.nextInt(3), parameters(), body(0), NO_SPAN, NO_SPAN);
        };
    }

    private List<Parameter> parameters() {
        List<Parameter> parameters = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            parameters.add(new Parameter(pick(IDENTIFIERS), random.nextBoolean() ? expression(2) : null, NO_SPAN));
        }
        return parameters;
    }

    private List<Setting> settings() {
        List<Setting> settings = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            settings.add(new Setting(pick(IDENTIFIERS), expression(3), NO_SPAN, NO_SPAN));
        }
        return settings;
    }

    private List<Statement> body(int depth) {
        List<Statement> body = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            body.add(statement(depth));
        }
        return body;
    }

    private Statement statement(int depth) {
        return switch (random.nextInt(depth < 2 ? 8 : 7)) {
            case 0 -> new Statement.Input(pick(NAMES), expressions(1, 3, 2), NO_SPAN, NO_SPAN);
            case 1 -> new Statement.Output(pick(NAMES), NO_SPAN);
            case 2, 3 -> new Statement.Flow(pick(NAMES), tensor(3), NO_SPAN, NO_SPAN);
            case 7 -> new Statement.Repeat(expression(2), body(depth + 1), NO_SPAN, NO_SPAN);
            default -> new Statement.Flow(null, tensor(3), null, NO_SPAN); // no target, no target span
        };
    }

    private TensorExpression tensor(int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(6);
        return switch (kind) {
            case 1, 2 -> new TensorExpression.Pipe(tensor(depth - 1), call(), NO_SPAN);
            case 3 -> new TensorExpression.Add(tensor(depth - 1), tensor(depth - 1), NO_SPAN);
            case 4 -> {
                List<TensorExpression> items = new ArrayList<>();
                int count = 2 + random.nextInt(2);
                for (int i = 0; i < count; i++) {
                    items.add(tensor(depth - 1));
                }
                yield new TensorExpression.Tuple(items, NO_SPAN);
            }
            default -> random.nextBoolean() ? call() : new TensorExpression.Call(pick(NAMES), List.of(), false,
                    NO_SPAN, NO_SPAN);
        };
    }

    private TensorExpression.Call call() {
        List<Argument> arguments = arguments(3);
        return new TensorExpression.Call(pick(OPS), arguments, !arguments.isEmpty() || random.nextInt(4) == 0,
                NO_SPAN, NO_SPAN);
    }

    private List<Argument> arguments(int most) {
        List<Argument> arguments = new ArrayList<>();
        int count = random.nextInt(most + 1);
        for (int i = 0; i < count; i++) {
            arguments.add(new Argument(random.nextBoolean() ? pick(IDENTIFIERS) : null, expression(2), NO_SPAN));
        }
        return arguments;
    }

    private List<Expression> expressions(int least, int most, int depth) {
        List<Expression> items = new ArrayList<>();
        int count = least + random.nextInt(most - least + 1);
        for (int i = 0; i < count; i++) {
            items.add(expression(depth));
        }
        return items;
    }

    private Expression expression(int depth) {
        int kind = depth == 0 ? random.nextInt(4) : random.nextInt(9);
        return switch (kind) {
            case 0 -> number();
            case 1 -> new Expression.Bool(random.nextBoolean(), NO_SPAN);
            case 2 -> new Expression.Text(text(), NO_SPAN);
            case 3 -> new Expression.Name(pick(IDENTIFIERS), NO_SPAN);
            case 4 -> new Expression.Call(pick(IDENTIFIERS), arguments(2), NO_SPAN, NO_SPAN);
            case 5 -> new Expression.ListOf(expressions(0, 3, depth - 1), NO_SPAN);
            case 6 -> new Expression.Negate(expression(depth - 1), NO_SPAN);
            default -> new Expression.Binary("+-*/%".charAt(random.nextInt(5)), expression(depth - 1),
                    expression(depth - 1), NO_SPAN);
        };
    }

    private Expression number() {
        String text = pick(NUMBERS);
        boolean isInteger = text.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
        return new Expression.Number(Double.parseDouble(text), isInteger, text, NO_SPAN);
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
            text.append(TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length())));
        }
        return text.toString();
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
