package org.nnlang.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnlang.compiler.ast.Argument;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Expression;
import org.nnlang.compiler.ast.Parameter;
import org.nnlang.compiler.ast.Setting;
import org.nnlang.compiler.ast.Statement;
import org.nnlang.compiler.ast.TensorExpression;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;

/**
 * Every example of the language core (design/language-core.md) parses to the AST it means. Spans do not take part
 * in record equality, so expected trees are written without them; {@link #spansPointAtTheSource} checks spans.
 */
class SourceParserTest {

    @Test
    void seedMlp() {
        Declaration.Model model = (Declaration.Model) parseOne("""
                model SeedMlp {
                    input x: [1, 28, 28]     // shape of ONE sample; the batch dimension N is implicit
                    flatten
                    linear(128)
                    relu
                    linear(10)
                }
                """);
        assertThat(model.name()).isEqualTo("SeedMlp");
        assertThat(model.parameters()).isEmpty();
        assertThat(model.body()).containsExactly(
                input("x", number("1"), number("28"), number("28")),
                flow(op("flatten")),
                flow(op("linear", positional(number("128")))),
                flow(op("relu")),
                flow(op("linear", positional(number("10")))));
    }

    @Test
    void separableBlock() {
        Declaration.Block block = (Declaration.Block) parseOne("""
                block separable(out, stride = 1) {
                    depthwise_conv2d(kernel = 3, stride = stride, padding = 1)
                    conv2d(out, kernel = 1)
                    relu
                }
                """);
        assertThat(block.name()).isEqualTo("separable");
        assertThat(block.parameters()).containsExactly(
                new Parameter("out", null, NO_SPAN), new Parameter("stride", number("1"), NO_SPAN));
        assertThat(block.parameters().get(0).isRequired()).isTrue();
        assertThat(block.body()).containsExactly(
                flow(op("depthwise_conv2d",
                        named("kernel", number("3")), named("stride", name("stride")), named("padding", number("1")))),
                flow(op("conv2d", positional(name("out")), named("kernel", number("1")))),
                flow(op("relu")));
    }

    @Test
    void residualBlockWithAChainThatGoesOnOnTheNextLine() {
        Declaration.Block block = (Declaration.Block) parseOne("""
                block residual(c) {
                    input x: [c, h, w]                 // h, w: symbolic dims, bound at each call
                    y = x -> conv2d(c, kernel = 3, padding = 1) -> batchnorm -> relu
                          -> conv2d(c, kernel = 3, padding = 1) -> batchnorm
                    (x + y) -> relu
                }
                """);
        TensorExpression.Call conv = op("conv2d", positional(name("c")), named("kernel", number("3")),
                named("padding", number("1")));
        assertThat(block.body()).containsExactly(
                input("x", name("c"), name("h"), name("w")),
                new Statement.Flow("y",
                        pipe(pipe(pipe(pipe(pipe(op("x"), conv), op("batchnorm")), op("relu")), conv), op("batchnorm")),
                        NO_SPAN, NO_SPAN),
                flow(pipe(new TensorExpression.Add(op("x"), op("y"), NO_SPAN), op("relu"))));
    }

    @Test
    void separableCnnCallsBlocksLikeOps() {
        Declaration.Model model = (Declaration.Model) parseOne("""
                model SeparableCnn {
                    input image: [1, 28, 28]
                    conv2d(16, kernel = 3, padding = 1) -> relu
                    separable(32, stride = 2)
                    separable(64, stride = 2)
                    global_avg_pool
                    linear(10)
                }
                """);
        assertThat(model.body()).containsExactly(
                input("image", number("1"), number("28"), number("28")),
                flow(pipe(op("conv2d", positional(number("16")), named("kernel", number("3")),
                        named("padding", number("1"))), op("relu"))),
                flow(op("separable", positional(number("32")), named("stride", number("2")))),
                flow(op("separable", positional(number("64")), named("stride", number("2")))),
                flow(op("global_avg_pool")),
                flow(op("linear", positional(number("10")))));
    }

    @Test
    void modelWithParameters() {
        Declaration.Model model = (Declaration.Model) parseOne("""
                model Mlp(hidden = 128) {
                    input x: [784]
                    linear(hidden) -> relu
                    linear(10)
                }
                """);
        assertThat(model.parameters()).containsExactly(new Parameter("hidden", number("128"), NO_SPAN));
        assertThat(model.body().get(1)).isEqualTo(flow(pipe(op("linear", positional(name("hidden"))), op("relu"))));
    }

    @Test
    void namedValuesConcatAndOutput() {
        Declaration.Model model = (Declaration.Model) parseOne("""
                model Two {
                    input x: [8]
                    a = x -> linear(4)
                    b = x -> linear(4)
                    c = (a, b) -> concat(axis = 0)
                    output c
                }
                """);
        assertThat(model.body().get(3)).isEqualTo(new Statement.Flow("c",
                pipe(new TensorExpression.Tuple(List.of(op("a"), op("b")), NO_SPAN),
                        op("concat", named("axis", number("0")))),
                NO_SPAN, NO_SPAN));
        assertThat(model.body().get(4)).isEqualTo(new Statement.Output("c", NO_SPAN));
    }

    @Test
    void trainSettings() {
        Declaration.Train train = (Declaration.Train) parseOne("""
                train SeedMlp {
                    data      = fashion_mnist          // the bundled sample; or idx("dir") for any MNIST-format folder
                    loss      = cross_entropy          // or mse
                    optimizer = adam(lr = 0.001)       // sgd(lr, momentum = 0, nesterov = false, weight_decay = 0),
                                                       // adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0), adamw(…)
                    batch     = 32
                    shuffle   = true
                    epochs    = 10
                    seed      = 42
                    device    = cpu                    // cpu | gpu | fpga | auto
                }
                """);
        assertThat(train.model()).isEqualTo("SeedMlp");
        assertThat(train.modelArguments()).isEmpty();
        assertThat(train.settings()).containsExactly(
                setting("data", name("fashion_mnist")),
                setting("loss", name("cross_entropy")),
                setting("optimizer", new Expression.Call("adam", List.of(named("lr", number("0.001"))), NO_SPAN,
                        NO_SPAN)),
                setting("batch", number("32")),
                setting("shuffle", new Expression.Bool(true, NO_SPAN)),
                setting("epochs", number("10")),
                setting("seed", number("42")),
                setting("device", name("cpu")));
    }

    @Test
    void trainWithModelArgumentsAndADataFolder() {
        Declaration.Train train = (Declaration.Train) parseOne("""
                train Mlp(hidden = 256) {
                    data = idx("data/mnist")
                    optimizer = sgd(0.1, momentum = 0.9, nesterov = false)
                }
                """);
        assertThat(train.modelArguments()).containsExactly(named("hidden", number("256")));
        assertThat(train.settings()).containsExactly(
                setting("data", new Expression.Call("idx", List.of(positional(text("data/mnist"))), NO_SPAN,
                        NO_SPAN)),
                setting("optimizer", new Expression.Call("sgd", List.of(positional(number("0.1")),
                        named("momentum", number("0.9")), named("nesterov", new Expression.Bool(false, NO_SPAN))),
                        NO_SPAN, NO_SPAN)));
    }

    @Test
    void distill() {
        Declaration.Distill distill = (Declaration.Distill) parseOne("""
                distill Student from Teacher {
                    temperature = 4.0
                    alpha       = 0.7                  // weight of the soft-target term; 1 - alpha weighs the hard labels
                }
                """);
        assertThat(distill.student()).isEqualTo("Student");
        assertThat(distill.teacher()).isEqualTo("Teacher");
        assertThat(distill.settings()).containsExactly(
                setting("temperature", number("4.0")), setting("alpha", number("0.7")));
        assertThat(((Expression.Number) distill.settings().get(0).value()).isInteger()).isFalse();
    }

    @Test
    void prune() {
        Declaration.Prune prune = (Declaration.Prune) parseOne("""
                prune SeparableCnn {
                    method   = l1_channels             // structured: removes whole channels; or magnitude (unstructured masks)
                    sparsity = 0.5
                    targets  = [conv2d]                // op kinds or value names
                    finetune = 2                       // epochs of fine-tuning after pruning
                }
                """);
        assertThat(prune.model()).isEqualTo("SeparableCnn");
        assertThat(prune.settings()).containsExactly(
                setting("method", name("l1_channels")),
                setting("sparsity", number("0.5")),
                setting("targets", new Expression.ListOf(List.of(name("conv2d")), NO_SPAN)),
                setting("finetune", number("2")));
    }

    @Test
    void importsAndHashComments() {
        List<Declaration> declarations = parse("""
                # shared layers
                import "blocks/common.nn"
                """);
        assertThat(declarations).containsExactly(new Declaration.Import("blocks/common.nn", NO_SPAN));
    }

    @Test
    void aLineBreakEndsAStatementSoParenthesesOnTheNextLineStartANewOne() {
        Declaration.Block block = (Declaration.Block) parseOne("""
                block b {
                    y = x -> relu
                    (x + y) -> relu
                }
                """);
        assertThat(block.body()).containsExactly(
                new Statement.Flow("y", pipe(op("x"), op("relu")), NO_SPAN, NO_SPAN),
                flow(pipe(new TensorExpression.Add(op("x"), op("y"), NO_SPAN), op("relu"))));
    }

    @Test
    void lineBreaksInsideBracketsAreWhitespaceAndSemicolonsSeparateStatements() {
        Declaration.Model model = (Declaration.Model) parseOne("""
                model M {
                    input x: [1,
                              28]
                    linear(
                        10,
                        bias = false
                    ); relu
                }
                """);
        assertThat(model.body()).containsExactly(
                input("x", number("1"), number("28")),
                flow(op("linear", positional(number("10")), named("bias", new Expression.Bool(false, NO_SPAN)))),
                flow(op("relu")));
    }

    @Test
    void arrowBindsTighterThanPlus() {
        Statement body = ((Declaration.Block) parseOne("block b { x + y -> relu }")).body().get(0);
        assertThat(body).isEqualTo(flow(new TensorExpression.Add(op("x"), pipe(op("y"), op("relu")), NO_SPAN)));
    }

    @Test
    void emptyParenthesesAreRecorded() {
        TensorExpression.Call call = (TensorExpression.Call)
                ((Statement.Flow) ((Declaration.Block) parseOne("block b { relu() }")).body().get(0)).value();
        assertThat(call.hasParentheses()).isTrue();
        assertThat(call.arguments()).isEmpty();
    }

    @Test
    void arithmeticFollowsTheUsualPrecedence() {
        Expression value = ((Declaration.Prune) parseOne("prune M { x = -2 * (3 + c) % 5 - 1e-5 }"))
                .settings().get(0).value();
        Expression product = new Expression.Binary('*', new Expression.Negate(number("2"), NO_SPAN),
                new Expression.Binary('+', number("3"), name("c"), NO_SPAN), NO_SPAN);
        assertThat(value).isEqualTo(new Expression.Binary('-',
                new Expression.Binary('%', product, number("5"), NO_SPAN), number("1e-5"), NO_SPAN));
        assertThat(number("1e-5").isInteger()).isFalse();
    }

    @Test
    void keywordsServeAsAttributeAndSettingNames() {
        Declaration.Prune prune = (Declaration.Prune) parseOne("prune M { input = model; from = f(output = 1) }");
        assertThat(prune.settings()).containsExactly(
                setting("input", name("model")),
                setting("from", new Expression.Call("f", List.of(named("output", number("1"))), NO_SPAN, NO_SPAN)));
    }

    @Test
    void stringEscapes() {
        Expression value = ((Declaration.Prune) parseOne("prune M { p = \"a\\\"b\\\\c\\nd\\q\" }")).settings().get(0)
                .value();
        assertThat(value).isEqualTo(text("a\"b\\c\nd\\q"));
    }

    @Test
    void spansPointAtTheSource() {
        Declaration.Model model = (Declaration.Model) parseOne("""
                model SeedMlp {
                    input x: [1, 28, 28]
                    linear(128) -> relu
                }
                """);
        assertSpan(model.nameSpan(), 1, 7, 7);
        assertSpan(model.span(), 1, 1, 15);
        Statement.Input input = (Statement.Input) model.body().get(0);
        assertSpan(input.nameSpan(), 2, 11, 1);
        assertSpan(input.dimensions().get(1).span(), 2, 18, 2);
        TensorExpression.Pipe pipe = (TensorExpression.Pipe) ((Statement.Flow) model.body().get(1)).value();
        assertSpan(pipe.span(), 3, 5, 19);
        assertSpan(((TensorExpression.Call) pipe.source()).nameSpan(), 3, 5, 6);
        assertSpan(pipe.op().span(), 3, 20, 4);
    }

    @Test
    void aDeclarationWithASyntaxErrorIsLeftOutAndTheOthersKept() {
        Diagnostics diagnostics = new Diagnostics();
        List<Declaration> declarations = SourceParser.parse(SourceFile.of("t.nn", """
                model Broken {
                    linear(8
                }
                model Fine {
                    relu
                }
                """), diagnostics).declarations();
        assertThat(diagnostics.errorCount()).isEqualTo(1);
        assertThat(declarations).extracting(d -> ((Declaration.Model) d).name()).containsExactly("Fine");
    }

    /** Mangled versions of a good file: the parser must report, not throw, and print nothing itself. */
    @Test
    void neverThrowsNorPrintsWhateverTheInput() {
        String good = """
                model M(h = 2) {
                    input x: [1, 28, 28]
                    y = x -> conv2d(4, kernel = 3) -> relu
                    (x + y, y) -> concat(axis = 0) -> linear(h * 2)
                }
                train M { data = idx("d"); optimizer = adam(lr = 1e-3); targets = [fc] }
                """;
        String pieces = "(){}[]->=:,;+-*/%\n\"$ x 3 model input true";
        Random random = new Random(7);
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed));
        try {
            for (int round = 0; round < 2000; round++) {
                StringBuilder text = new StringBuilder(good);
                for (int edit = 0; edit < 3; edit++) {
                    int at = random.nextInt(text.length());
                    if (random.nextBoolean()) {
                        text.deleteCharAt(at);
                    } else {
                        text.insert(at, pieces.charAt(random.nextInt(pieces.length())));
                    }
                }
                SourceParser.parse(SourceFile.of("fuzz.nn", text.toString()), new Diagnostics());
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(printed.toString()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static final Span NO_SPAN = Span.synthetic();

    private static List<Declaration> parse(String text) {
        Diagnostics diagnostics = new Diagnostics();
        List<Declaration> declarations = SourceParser.parse(SourceFile.of("test.nn", text), diagnostics).declarations();
        assertThat(diagnostics.all()).isEmpty();
        return declarations;
    }

    private static Declaration parseOne(String text) {
        List<Declaration> declarations = parse(text);
        assertThat(declarations).hasSize(1);
        return declarations.get(0);
    }

    private static void assertSpan(Span span, int line, int column, int length) {
        assertThat(List.of(span.line(), span.column(), span.length())).containsExactly(line, column, length);
    }

    private static Statement input(String name, Expression... dimensions) {
        return new Statement.Input(name, Arrays.asList(dimensions), NO_SPAN, NO_SPAN);
    }

    private static Statement flow(TensorExpression value) {
        return new Statement.Flow(null, value, null, NO_SPAN);
    }

    private static TensorExpression.Call op(String name, Argument... arguments) {
        return new TensorExpression.Call(name, Arrays.asList(arguments), arguments.length > 0, NO_SPAN, NO_SPAN);
    }

    private static TensorExpression pipe(TensorExpression source, TensorExpression.Call op) {
        return new TensorExpression.Pipe(source, op, NO_SPAN);
    }

    private static Argument positional(Expression value) {
        return new Argument(null, value, NO_SPAN);
    }

    private static Argument named(String name, Expression value) {
        return new Argument(name, value, NO_SPAN);
    }

    private static Setting setting(String key, Expression value) {
        return new Setting(key, value, NO_SPAN, NO_SPAN);
    }

    private static Expression.Number number(String text) {
        boolean isInteger = !text.contains(".") && !text.contains("e");
        return new Expression.Number(Double.parseDouble(text), isInteger, text, NO_SPAN);
    }

    private static Expression name(String name) {
        return new Expression.Name(name, NO_SPAN);
    }

    private static Expression text(String value) {
        return new Expression.Text(value, NO_SPAN);
    }
}
