package org.nnlang.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.inspect.GraphDiff;
import org.nnlang.compiler.inspect.GraphSummary;
import org.nnlang.compiler.inspect.ModelInspector;
import org.nnlang.compiler.passes.TrainingPipeline;
import org.nnlang.compiler.source.Suggestions;
import org.nnlang.runtime.NnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nn diff A B}: what changes between two graphs, node by node (matched by name): two files, two models
 * ({@code --model-a}, {@code --model-b}, of one file or two), or one graph before and after a pass of the training
 * pipeline ({@code --pass autodiff}). Added, removed and reshaped nodes, with their parameter and MAC deltas.
 */
@Command(name = "diff",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Compare two graphs node by node: added, removed and reshaped nodes,",
                "with the change in parameters and multiply-accumulates."},
        footer = {"", "Examples:",
                "  nn diff examples/cnn.nn examples/separable-cnn.nn",
                "  nn diff models.nn --model-a Small --model-b Large",
                "  nn diff examples/seed-mlp.nn --pass autodiff      (what the autodiff pass adds)",
                "",
                "Nodes match by name, which carries the block calls (tower1.dense2.linear1).",
                "--pass P compares the graph before P (the previous pass; check for inference) with the graph after it.",
                "Exit status: 0 when the comparison ran (whether or not the graphs differ), 2 on errors."})
final class DiffCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "the first .nn file")
    Path fileA;

    @Parameters(index = "1", paramLabel = "B", arity = "0..1",
            description = "the second .nn file (default: A, to compare two of its models or a pass)")
    Path fileB;

    @Option(names = "--model", paramLabel = "NAME", description = "the model on both sides")
    String model;

    @Option(names = "--model-a", paramLabel = "NAME", description = "the model of A")
    String modelA;

    @Option(names = "--model-b", paramLabel = "NAME", description = "the model of B")
    String modelB;

    @Option(names = "--pass", paramLabel = "PASS",
            description = "compare A's graph before and after this pass: check, attach-loss, autodiff, optimizer, "
                    + "inference")
    String pass;

    @Option(names = "--graph", paramLabel = "GRAPH",
            description = "which graph of each model: inference (default) or training")
    String graph;

    @Option(names = "--batch", paramLabel = "B", description = "the batch size for the memory figures")
    Integer batch;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or json")
    String format;

    DiffCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        String chosenFormat = format == null ? "table" : format;
        if (!List.of("table", "json").contains(chosenFormat)) {
            throw new ParameterException(spec.commandLine(), "unknown format '" + chosenFormat
                    + "'; the formats are: table, json");
        }
        Sources.requireFile(spec.commandLine(), fileA);
        if (fileB != null) {
            Sources.requireFile(spec.commandLine(), fileB);
        }
        String beforeLabel;
        String afterLabel;
        GraphSummary before;
        GraphSummary after;
        if (pass != null) {
            if (fileB != null || modelA != null || modelB != null || graph != null) {
                throw new ParameterException(spec.commandLine(),
                        "--pass compares one model's graph before and after a pass: give one file (and --model)");
            }
            Compilation compilation = compile(fileA);
            if (compilation == null) {
                return Main.USER_ERROR;
            }
            String name = trainedModel(compilation, fileA, model);
            List<String> passes = List.copyOf(compilation.trainings().get(name).stages().byPass().keySet());
            if (!passes.contains(pass)) {
                String[] hint = Suggestions.didYouMean(pass, passes);
                throw new ParameterException(spec.commandLine(), "unknown pass '" + pass + "'"
                        + (hint.length > 0 ? " (" + hint[0] + ")" : "") + "; the passes are: "
                        + String.join(", ", passes));
            }
            String previous = pass.equals(TrainingPipeline.INFERENCE) ? TrainingPipeline.FORWARD
                    : passes.indexOf(pass) > 0 ? passes.get(passes.indexOf(pass) - 1) : null;
            if (previous == null) {
                throw new ParameterException(spec.commandLine(), "'" + pass + "' is the first pass: it builds the "
                        + "forward graph, so there is no graph before it; try --pass " + passes.get(1));
            }
            before = summarize(compilation, name, previous);
            after = summarize(compilation, name, pass);
            beforeLabel = fileA + " after " + previous;
            afterLabel = fileA + " after " + pass;
        } else {
            if (fileB == null && modelA == null && modelB == null) {
                throw new ParameterException(spec.commandLine(),
                        "nothing to compare: give two files, two models (--model-a, --model-b) or a --pass");
            }
            Compilation a = compile(fileA);
            Compilation b = fileB == null ? a : compile(fileB);
            if (a == null || b == null) {
                return Main.USER_ERROR;
            }
            Path pathB = fileB == null ? fileA : fileB;
            String nameA = chooseModel(a, fileA, modelA != null ? modelA : model);
            String nameB = chooseModel(b, pathB, modelB != null ? modelB : model);
            String which = graph == null ? ModelInspector.INFERENCE : graph;
            before = summarize(a, nameA, which);
            after = summarize(b, nameB, which);
            beforeLabel = fileA + (modelA != null || fileB == null ? " " + nameA : "");
            afterLabel = pathB + (modelB != null || fileB == null ? " " + nameB : "");
        }
        GraphDiff diff = GraphDiff.compare(before, after);
        PrintStream out = terminal.out();
        out.print(chosenFormat.equals("json") ? InspectCommand.json(diff.json(beforeLabel, afterLabel))
                : diff.table(beforeLabel, afterLabel));
        out.flush();
        return Main.OK;
    }

    private Compilation compile(Path file) {
        Compilation compilation = Sources.compile(file);
        if (compilation.hasErrors()) {
            PrintStream err = terminal.err();
            err.println(Sources.errorCount(Sources.printDiagnostics(compilation, err)));
            err.flush();
            return null;
        }
        return compilation;
    }

    private GraphSummary summarize(Compilation compilation, String name, String which) {
        try {
            return ModelInspector.summarize(compilation, name, which, batch);
        } catch (IllegalArgumentException e) {
            throw new NnException(e.getMessage(), e);
        }
    }

    /** The model {@code wanted} names, or the file's only model. */
    private static String chooseModel(Compilation compilation, Path file, String wanted) {
        List<String> models = ModelInspector.models(compilation);
        if (wanted == null) {
            if (models.size() != 1) {
                throw new NnException(file + (models.isEmpty() ? " has no model with a graph of its own"
                        : " has several models; choose one with --model, --model-a or --model-b: "
                                + String.join(", ", models)));
            }
            return models.get(0);
        }
        if (!models.contains(wanted)) {
            String[] hint = Suggestions.didYouMean(wanted, models);
            throw new NnException("no model '" + wanted + "' in " + file + (hint.length > 0 ? " (" + hint[0] + ")"
                    : "") + "; models: " + (models.isEmpty() ? "none" : String.join(", ", models)));
        }
        return wanted;
    }

    /** The train block's model for {@code --pass}: {@code wanted}, or the file's only train block. */
    private static String trainedModel(Compilation compilation, Path file, String wanted) {
        Map<String, Compilation.CompiledTraining> trainings = compilation.trainings();
        if (trainings.isEmpty()) {
            throw new NnException(file + " has no train block, and the passes run for one");
        }
        if (wanted == null) {
            if (trainings.size() > 1) {
                throw new NnException(file + " has several train blocks; choose one with --model: "
                        + String.join(", ", trainings.keySet()));
            }
            return trainings.keySet().iterator().next();
        }
        if (!trainings.containsKey(wanted)) {
            throw new NnException("no train block for model '" + wanted + "' in " + file + "; train blocks: "
                    + String.join(", ", trainings.keySet()));
        }
        return wanted;
    }
}
