package org.nnlang.compiler.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnlang.compiler.ast.AstPrinter;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.parse.SourceLayout;
import org.nnlang.compiler.parse.SourceParser;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;

/**
 * {@code nn fmt} keeps the meaning and the comments and is idempotent: over every {@code .nn} file of the repository
 * (and every {@code ```nn} block of its Markdown), over a few hundred random programs, and over those programs
 * laid out badly with comments scattered through them.
 */
class FormatterTest {
    /** The repository root: tests run in the module folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern NN_BLOCK = Pattern.compile("```nn\\n(.*?)```", Pattern.DOTALL);

    static List<Named<SourceFile>> repositorySources() throws IOException {
        List<Named<SourceFile>> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/")
                    && !f.toString().contains("/node_modules/")).sorted().toList()) {
                String name = ROOT.relativize(file).toString();
                if (name.endsWith(".nn")) {
                    sources.add(Named.of(name, SourceFile.of(name, Files.readString(file))));
                } else if (name.endsWith(".md")) {
                    Matcher blocks = NN_BLOCK.matcher(Files.readString(file));
                    for (int i = 1; blocks.find(); i++) {
                        sources.add(Named.of(name + " block " + i, SourceFile.of(name, blocks.group(1))));
                    }
                }
            }
        }
        assertThat(sources).as("the .nn files of %s", ROOT).hasSizeGreaterThan(10);
        return sources;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repositorySources")
    void everyFileOfTheRepositoryKeepsItsMeaningAndComments(SourceFile source) {
        Diagnostics diagnostics = new Diagnostics();
        CompilationUnit original = SourceParser.parse(source, diagnostics);
        if (diagnostics.hasErrors()) {
            assertThat(source.name()).as("only the syntax-error corpus may have syntax errors:\n%s",
                    printed(diagnostics)).contains("errors/syntax/");
            assertThat(Formatter.format(source, new Diagnostics())).as("a file with syntax errors is refused").isNull();
            return;
        }
        String formatted = Formatter.format(source, new Diagnostics());
        assertRoundTrip(original, formatted, source.name());
        assertThat(comments(SourceFile.of(source.name(), formatted))).as("comments of %s", source.name())
                .isEqualTo(comments(source));
    }

    @Test
    void randomProgramsRoundTrip() {
        for (long seed = 0; seed < 300; seed++) {
            List<Declaration> program = new RandomPrograms(seed).program();
            String formatted = Formatter.format(new CompilationUnit(SourceFile.of("random.nn", ""), program));
            CompilationUnit reparsed = parse(SourceFile.of("seed-" + seed + ".nn", formatted));
            assertThat(AstPrinter.print(reparsed)).as("seed %d:\n%s", seed, formatted)
                    .isEqualTo(AstPrinter.print(new CompilationUnit(reparsed.file(), program)));
            assertThat(reparsed.declarations()).as("seed %d", seed).isEqualTo(program);
            assertThat(Formatter.format(reparsed)).as("idempotent, seed %d", seed).isEqualTo(formatted);
        }
    }

    /** Formatted programs re-laid out: indentation, blank lines, line breaks in brackets and chains, comments. */
    @Test
    void badlyLaidOutProgramsWithCommentsComeBackTheSame() {
        for (long seed = 0; seed < 300; seed++) {
            List<Declaration> program = new RandomPrograms(seed).program();
            String canonical = Formatter.format(new CompilationUnit(SourceFile.of("random.nn", ""), program));
            String messy = disorder(canonical, new Random(seed));
            SourceFile source = SourceFile.of("messy-" + seed + ".nn", messy);
            String formatted = Formatter.format(source, new Diagnostics()); // checks tree and comments itself
            assertThat(formatted).as("seed %d:\n%s", seed, messy).isNotNull();
            assertRoundTrip(parse(source), formatted, source.name());
            assertThat(comments(SourceFile.of("f.nn", formatted))).as("seed %d", seed).isEqualTo(comments(source));
            assertThat(stripComments(formatted)).as("without comments it is the canonical text, seed %d:\n%s", seed,
                    messy).isEqualTo(stripComments(canonical));
        }
    }

    @Test
    void layoutOfTheExamples() {
        String formatted = Formatter.format(SourceFile.of("t.nn", """
                # two paths
                model TwoPaths(hidden=64,classes = 10) {
                  input x:[1,28,28]
                  features = flatten->linear(hidden) // first
                  deeper = features -> linear(  // inner lines' comments move above
                      hidden)
                      -> relu      // chains keep their breaks
                      -> linear(hidden)

                  (features+deeper)->relu ; scores=linear(out=classes, bias=false)
                  repeat 2 { relu }
                  output scores
                }
                train TwoPaths(hidden = 2*(3+4)) {
                  data = idx("C:\\data")
                  optimizer = sgd(lr=1e-3,momentum=0.9)
                  loss=mse  # last
                  // before the brace
                }
                """), new Diagnostics());
        assertThat(formatted).isEqualTo("""
                # two paths
                model TwoPaths(hidden = 64, classes = 10) {
                    input x: [1, 28, 28]
                    features = flatten -> linear(hidden)  // first
                    // inner lines' comments move above
                    deeper = features -> linear(hidden)
                                      -> relu  // chains keep their breaks
                                      -> linear(hidden)

                    (features + deeper) -> relu
                    scores = linear(out = classes, bias = false)
                    repeat 2 {
                        relu
                    }
                    output scores
                }

                train TwoPaths(hidden = 2 * (3 + 4)) {
                    data      = idx("C:\\data")
                    optimizer = sgd(lr = 1e-3, momentum = 0.9)
                    loss      = mse  # last
                    // before the brace
                }
                """);
    }

    @Test
    void theSeedExampleIsFormattedAlready() throws IOException {
        SourceFile seed = SourceFile.of("seed-mlp.nn", Files.readString(ROOT.resolve("examples/seed-mlp.nn")));
        assertThat(Formatter.format(seed, new Diagnostics())).isEqualTo(seed.text());
    }

    @Test
    void trailingCommentsLineUpTwoSpacesAfterTheLongestCodeOrWhereTheAuthorLinedThemUp() {
        String ragged = "model M {\n    input x: [4]  // a\n    linear(8) // b\n    relu       // c\n}\n";
        assertThat(Formatter.format(SourceFile.of("t.nn", ragged), new Diagnostics()))
                .isEqualTo("model M {\n    input x: [4]  // a\n    linear(8)     // b\n    relu          // c\n}\n");
        String lined = "model M {\n    input x: [4]        // a\n    linear(8)           // b\n}\n";
        assertThat(Formatter.format(SourceFile.of("t.nn", lined), new Diagnostics())).isEqualTo(lined);
    }

    @Test
    void parenthesesOnlyWhereTheMeaningNeedsThem() {
        String formatted = Formatter.format(SourceFile.of("t.nn", """
                model M {
                    a = ((x + y)) -> relu
                    b = x + (y -> relu) + (z + w)
                    c = linear((1 - 2) - 3, 1 - (2 - 3), -(4 * 5), (-4) * 5, 6 / (7 * 8))
                }
                """), new Diagnostics());
        assertThat(formatted).isEqualTo("""
                model M {
                    a = (x + y) -> relu
                    b = x + (y -> relu) + (z + w)
                    c = linear(1 - 2 - 3, 1 - (2 - 3), -(4 * 5), -4 * 5, 6 / (7 * 8))
                }
                """);
    }

    @Test
    void refusesFilesWithSyntaxErrors() {
        Diagnostics diagnostics = new Diagnostics();
        assertThat(Formatter.format(SourceFile.of("bad.nn", "model M {\n  linear(8\n  relu\n}\n"), diagnostics))
                .isNull();
        assertThat(diagnostics.hasErrors()).isTrue();
    }

    @Test
    void quotesOnlyWhatMustBeEscaped() {
        assertThat(Formatter.quote("C:\\data")).isEqualTo("\"C:\\data\"");
        assertThat(Formatter.quote("a\\nb")).isEqualTo("\"a\\\\nb\"");
        assertThat(Formatter.quote("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
        assertThat(Formatter.quote("end\\")).isEqualTo("\"end\\\\\"");
        assertThat(Formatter.quote("a\\\tb")).as("a backslash before a tab").isEqualTo("\"a\\\\\\tb\"");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertRoundTrip(CompilationUnit original, String formatted, String name) {
        CompilationUnit reparsed = parse(SourceFile.of(name, formatted));
        assertThat(reparsed.declarations()).as("%s formatted:\n%s", name, formatted)
                .isEqualTo(original.declarations());
        assertThat(Formatter.format(reparsed)).as("formatting %s twice", name).isEqualTo(formatted);
    }

    private static CompilationUnit parse(SourceFile source) {
        Diagnostics diagnostics = new Diagnostics();
        CompilationUnit unit = SourceParser.parse(source, diagnostics);
        if (diagnostics.hasErrors()) {
            fail("%s does not parse:\n%s\n%s", source.name(), source.text(), printed(diagnostics));
        }
        return unit;
    }

    private static List<String> comments(SourceFile source) {
        return SourceLayout.of(source).comments().stream().map(SourceLayout.Comment::text).toList();
    }

    private static String printed(Diagnostics diagnostics) {
        return diagnostics.all().stream().map(DiagnosticPrinter::format).collect(Collectors.joining());
    }

    /**
     * {@code canonical} with its layout disturbed but not its meaning: random indentation, blank lines, a line break
     * after commas and before {@code ->} (where the grammar allows one), and comments after code and on lines of
     * their own, numbered so that a lost or duplicated one shows. Strings of the random programs hold no comma and
     * no {@code >}, so the replacements never land inside one.
     */
    static String disorder(String canonical, Random random) {
        StringBuilder out = new StringBuilder();
        int[] counter = {0};
        for (String line : canonical.split("\n", -1)) {
            if (line.isEmpty()) {
                out.append(random.nextInt(3) == 0 ? "" : "\n");
                continue;
            }
            if (random.nextInt(5) == 0) {
                out.append(" ".repeat(random.nextInt(6))).append(comment(random, counter)).append('\n');
            }
            if (random.nextInt(6) == 0) {
                out.append('\n');
            }
            String code = line.strip();
            if (!code.startsWith("//") && !code.startsWith("#")) {
                code = code.replace(", ", random.nextInt(3) == 0 ? ",\n" : random.nextBoolean() ? "," : ",   ");
                code = code.replace(" -> ", random.nextInt(3) == 0 ? "\n  -> " : "->");
                if (random.nextInt(4) == 0) {
                    code = code.replace("=", " =  ");
                }
            }
            out.append(" ".repeat(random.nextInt(9))).append(code);
            if (random.nextInt(3) == 0) {
                out.append(" ".repeat(1 + random.nextInt(3))).append(comment(random, counter));
            }
            out.append('\n');
        }
        return out.toString().replaceAll("\n+$", "\n");
    }

    private static String comment(Random random, int[] counter) {
        return (random.nextBoolean() ? "// note " : "# note ") + counter[0]++;
    }

    /** The code lines of {@code text}: without the numbered comments and blank lines, chains joined into one. */
    private static String stripComments(String text) {
        List<String> code = new ArrayList<>();
        for (String line : text.lines().toList()) {
            line = line.replaceAll("\\s*(//|#) note \\d+$", "").stripTrailing();
            if (line.strip().startsWith("->")) {
                code.set(code.size() - 1, code.get(code.size() - 1) + " " + line.strip());
            } else if (!line.isBlank()) {
                code.add(line);
            }
        }
        return String.join("\n", code);
    }
}
