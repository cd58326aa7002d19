package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.source.SourceFile;

/** {@code nn inspect} and {@code nn fmt} end to end. */
class InspectAndFmtTest {
    private static final String SEED_MLP = """
            // the seed network
            model SeedMlp {
                input x: [1, 28, 28]
                flatten
                linear(128)  // hidden
                relu
                linear(10)
            }

            train SeedMlp {
                data      = fashion_mnist
                loss      = cross_entropy
                optimizer = adam(lr = 0.001)
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void everyDumpPrintsItsStage() throws Exception {
        String file = write("seed.nn", SEED_MLP).toString();
        assertThat(ok("inspect", file, "--dump", "tokens")).contains("2:1 MODEL 'model'", "COMMENT '// hidden'");
        assertThat(ok("inspect", file, "--dump", "tree")).contains("declaration #modelDeclaration");
        assertThat(ok("inspect", file, "--dump", "ast")).contains("(flow (call linear 128))");
        assertThat(ok("inspect", file, "--dump", "ir")).contains("graph SeedMlp", "relu(%linear1)")
                .doesNotContain("grad");
        assertThat(ok("inspect", file, "--dump", "ir-after=attach-loss")).contains("softmax_cross_entropy")
                .doesNotContain("grad(");
        assertThat(ok("inspect", file, "--dump", "ir-after=optimizer")).contains("adam_update");
        assertThat(ok("inspect", file, "--dump", "plan")).contains("plan SeedMlp", "training: ", "inference: 3 steps",
                "401,408");
    }

    @Test
    void withoutDumpSummarisesTheModelsAndListsTheDumps() throws Exception {
        assertThat(ok("inspect", write("seed.nn", SEED_MLP).toString()))
                .contains("SeedMlp: 101,770 parameters").contains("--dump tokens", "ir-after=PASS", "plan");
    }

    @Test
    void anUnknownPassIsAUsageErrorListingThePipelinesPasses() throws Exception {
        NnRun run = NnRun.of("inspect", write("seed.nn", SEED_MLP).toString(), "--dump", "ir-after=autodif");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        Compilation compilation = Compiler.compile(SourceFile.of("seed.nn", SEED_MLP));
        List<String> passes = List.copyOf(compilation.trainings().get("SeedMlp").stages().byPass().keySet());
        assertThat(passes).contains("check", "attach-loss", "autodiff", "optimizer");
        assertThat(run.err()).contains("unknown pass 'autodif'", "did you mean 'autodiff'?",
                "the passes are: " + String.join(", ", passes));
    }

    @Test
    void everyPassOfThePipelineCanBeDumped() throws Exception {
        String file = write("seed.nn", SEED_MLP).toString();
        Compilation compilation = Compiler.compile(SourceFile.of("seed.nn", SEED_MLP));
        for (String pass : compilation.trainings().get("SeedMlp").stages().byPass().keySet()) {
            assertThat(ok("inspect", file, "--dump", "ir-after=" + pass)).startsWith("graph SeedMlp");
        }
    }

    @Test
    void anUnknownDumpIsAUsageError() throws Exception {
        NnRun run = NnRun.of("inspect", write("seed.nn", SEED_MLP).toString(), "--dump", "tree-sitter");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown dump 'tree-sitter'", "tokens, tree, ast, ir, ir-after=PASS, plan");
    }

    @Test
    void planNeedsATrainBlockAndSeveralNeedModel() throws Exception {
        String noTrain = write("model.nn", SEED_MLP.substring(0, SEED_MLP.indexOf("train"))).toString();
        NnRun run = NnRun.of("inspect", noTrain, "--dump", "plan");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("no train block");

        String two = write("two.nn", SEED_MLP + SEED_MLP.replace("SeedMlp", "Other")).toString();
        run = NnRun.of("inspect", two, "--dump", "ir-after=autodiff");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("several train blocks", "SeedMlp, Other");
        assertThat(ok("inspect", two, "--dump", "ir-after=autodiff", "--model", "Other")).contains("graph Other");
        assertThat(ok("inspect", two, "--dump", "ir", "--model", "Other")).contains("graph Other")
                .doesNotContain("graph SeedMlp");
    }

    @Test
    void compileErrorsArePrintedWithStatus2() throws Exception {
        String file = write("bad.nn", SEED_MLP.replace("linear(128)", "lnear(128)")).toString();
        NnRun run = NnRun.of("inspect", file, "--dump", "ir");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":5:5: error:");
        assertThat(ok("inspect", file, "--dump", "ast")).as("the AST needs only parsing").contains("lnear");
        assertThat(ok("inspect", write("syntax.nn", "model M {\n  linear(8\n  relu\n}\n").toString(),
                "--dump", "tokens")).as("tokens of text that does not parse, without the line break in brackets")
                .contains("2:10 NUMBER '8'\n3:3 NAME 'relu'");
    }

    @Test
    void fmtPrintsWritesAndChecks() throws Exception {
        Path file = write("messy.nn", "// keep me\nmodel M {\ninput x:[4]   # and me\n  linear(8)->relu\n}\n");
        String formatted = "// keep me\nmodel M {\n    input x: [4]  # and me\n    linear(8) -> relu\n}\n";

        assertThat(ok("fmt", file.toString())).isEqualTo(formatted);

        NnRun check = NnRun.of("fmt", "--check", file.toString());
        assertThat(check.status()).as(check.toString()).isEqualTo(1);
        assertThat(check.out()).contains(file.toString());

        assertThat(ok("fmt", "--write", file.toString())).contains("formatted " + file);
        assertThat(Files.readString(file)).isEqualTo(formatted);
        assertThat(ok("fmt", "--check", file.toString())).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly("messy.nn");
        }
    }

    @Test
    void fmtLeavesFilesWithSyntaxErrorsAloneWithStatus2() throws Exception {
        String broken = "model M {\n  linear(8\n  relu\n}\n";
        Path file = write("broken.nn", broken);
        NnRun run = NnRun.of("fmt", "--write", file.toString());
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(file + ":3:3: error:");
        assertThat(Files.readString(file)).isEqualTo(broken);
    }

    private static String ok(String... args) {
        NnRun run = NnRun.of(args);
        assertThat(run.status()).as(run.toString()).isZero();
        return run.out();
    }
}
