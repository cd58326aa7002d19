package org.nnlang.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnlang.compiler.ast.AstPrinter;
import org.nnlang.compiler.ir.GraphPrinter;
import org.nnlang.compiler.parse.ParseTreePrinter;
import org.nnlang.compiler.parse.TokenPrinter;
import org.nnlang.compiler.plan.PlanPrinter;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.runtime.train.TrainingJob;

/**
 * Golden tests of every stage's printer on {@code examples/seed-mlp.nn}: the printed text must equal
 * {@code src/test/resources/golden/seed-mlp.STAGE.txt}, which is also exactly what {@code nn inspect --dump STAGE}
 * prints (the file is named {@code seed-mlp.nn} here, so origins read {@code seed-mlp.nn:10:5}).
 *
 * <p>After a deliberate change to a printer or a stage, regenerate the files and review the diff:
 * <pre>
 * mvn -q -o test -pl compiler -Dtest=GoldenTest -Dgolden.update=true
 * git diff compiler/src/test/resources/golden
 * </pre>
 */
class GoldenTest {
    private static final Path EXAMPLE = Path.of("../examples/seed-mlp.nn");
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static List<Named<Function<SourceFile, String>>> stages() {
        List<Named<Function<SourceFile, String>>> stages = new ArrayList<>();
        stages.add(Named.of("tokens", TokenPrinter::print));
        stages.add(Named.of("tree", ParseTreePrinter::print));
        stages.add(Named.of("ast", file -> AstPrinter.print(compile(file).unit())));
        stages.add(Named.of("ir", file -> GraphPrinter.print(compile(file).forwardGraphs().get("SeedMlp"))));
        // One golden file per pass the pipeline has, so a new pass cannot go unprinted.
        SourceFile example = example();
        for (String pass : training(example).stages().byPass().keySet()) {
            stages.add(Named.of("ir-after-" + pass, file -> GraphPrinter.print(
                    training(file).stages().byPass().get(pass))));
        }
        stages.add(Named.of("plan", file -> {
            TrainingJob job = training(file).job();
            return PlanPrinter.print(job.plan(), job.config().batch());
        }));
        return stages;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void printsAsTheGoldenFileSays(Function<SourceFile, String> printer, org.junit.jupiter.api.TestInfo info)
            throws IOException {
        String stage = info.getDisplayName();
        String printed = printer.apply(example());
        Path golden = GOLDEN.resolve("seed-mlp." + stage + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, printed);
        }
        assertThat(golden).as("golden file missing; regenerate with -Dgolden.update=true").exists();
        assertThat(printed).as("%s differs from %s; if the change is intended, regenerate with "
                + "-Dgolden.update=true and review the diff", stage, golden).isEqualTo(Files.readString(golden));
    }

    private static SourceFile example() {
        try {
            return SourceFile.of("seed-mlp.nn", Files.readString(EXAMPLE));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Compilation compile(SourceFile file) {
        Compilation compilation = Compiler.compile(file);
        assertThat(compilation.hasErrors()).as("%s compiles", file).isFalse();
        return compilation;
    }

    private static Compilation.CompiledTraining training(SourceFile file) {
        Map<String, Compilation.CompiledTraining> trainings = compile(file).trainings();
        return trainings.get("SeedMlp");
    }
}
