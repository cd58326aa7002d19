package org.nnlang.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.ModelSummary;
import org.nnlang.compiler.ast.AstPrinter;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphPrinter;
import org.nnlang.compiler.inspect.GraphSummary;
import org.nnlang.compiler.inspect.ModelInspector;
import org.nnlang.compiler.inspect.SummaryDot;
import org.nnlang.compiler.inspect.SummaryJson;
import org.nnlang.compiler.inspect.SummaryTable;
import org.nnlang.compiler.parse.ParseTreePrinter;
import org.nnlang.compiler.parse.SourceParser;
import org.nnlang.compiler.parse.TokenPrinter;
import org.nnlang.compiler.plan.PlanPrinter;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Suggestions;
import org.nnlang.runtime.NnException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nn inspect FILE [--model NAME] [--dump STAGE]}: shows what one stage of the compiler makes of a file, with the
 * same printers the golden tests use. Without {@code --dump} it prints a torchinfo-style summary of each model
 * ({@link #overview}): a row per node with shapes, parameters, MACs and activation memory, and the totals — as a
 * table, JSON, Graphviz DOT or one self-contained HTML page with the laid-out graph ({@code --format}).
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Show what each stage of the compiler makes of a .nn file.",
                "Without --dump: a summary of each model, a row per node (shapes, parameters, MACs, memory),",
                "as a table, JSON, Graphviz DOT or an HTML page with the laid-out graph."},
        footer = {"", "Dumps, in the order the compiler makes them:",
                "  tokens          the lexer's tokens: line:column TYPE 'text'",
                "  tree            the ANTLR parse tree, with the grammar's alternative labels",
                "  ast             the AST the parser builds from it",
                "  ir              each model's forward graph",
                "  ir-after=PASS   the graph after a pass of the training pipeline: check,",
                "                  attach-loss, autodiff, optimizer, ...",
                "  plan            the execution plan: buffers, training and inference steps",
                "ir-after and plan need a train block; with several, choose one with --model.",
                "",
                "Examples:",
                "  nn inspect examples/seed-mlp.nn",
                "  nn inspect examples/cnn.nn --graph training --batch 64",
                "  nn inspect examples/seed-mlp.nn --format html --output seed-mlp.html",
                "  nn inspect examples/seed-mlp.nn --dump tokens",
                "  nn inspect examples/seed-mlp.nn --dump ir-after=autodiff",
                "",
                "Exit status: 0 on success, 2 when the file has errors or an option is wrong."})
final class InspectCommand implements Callable<Integer> {
    private static final String IR_AFTER = "ir-after=";
    private static final List<String> DUMPS = List.of("tokens", "tree", "ast", "ir", IR_AFTER + "PASS", "plan");

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file to inspect")
    Path file;

    @Option(names = "--model", paramLabel = "NAME",
            description = "only this model (ir), or this model's train block (ir-after, plan)")
    String model;

    @Option(names = "--dump", paramLabel = "STAGE",
            description = "what to print: tokens, tree, ast, ir, ir-after=PASS or plan (see below)")
    String dump;

    @Option(names = "--graph", paramLabel = "GRAPH",
            description = "the summary's graph: inference (default; what evaluation runs), training (forward, "
                    + "loss, backward and optimizer nodes) or a pass name")
    String graph;

    @Option(names = "--batch", paramLabel = "B",
            description = "the batch size for memory and per-batch MACs (default: the train block's, else 1)")
    Integer batch;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default), json, dot (Graphviz) or html (one self-contained page)")
    String format;

    @Option(names = "--output", paramLabel = "FILE", description = "write the summary to FILE instead of stdout")
    Path output;

    InspectCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        String pass = checkDump();
        if (dump != null && (graph != null || batch != null || format != null || output != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--graph, --batch, --format and --output shape the summary; a --dump prints its stage as is");
        }
        Sources.requireFile(spec.commandLine(), file);
        PrintStream out = terminal.out();
        if (dump == null) {
            return overview();
        }
        switch (dump) {
            case "tokens" -> out.print(TokenPrinter.print(read()));
            case "tree", "ast" -> {
                SourceFile source = read();
                Diagnostics diagnostics = new Diagnostics();
                CompilationUnit unit = SourceParser.parse(source, diagnostics);
                if (diagnostics.hasErrors()) {
                    return failed(diagnostics);
                }
                out.print(dump.equals("tree") ? ParseTreePrinter.print(source) : AstPrinter.print(unit));
            }
            default -> {
                Compilation compilation = Sources.compile(file);
                if (compilation.hasErrors()) {
                    return failed(compilation.diagnostics());
                }
                if (dump.equals("ir")) {
                    forwardGraphs(compilation).values().forEach(graph -> out.print(GraphPrinter.print(graph)));
                } else if (dump.equals("plan")) {
                    Compilation.CompiledTraining training = training(compilation);
                    out.print(PlanPrinter.print(training.job().plan(), training.job().config().batch()));
                } else {
                    out.print(GraphPrinter.print(graphAfter(training(compilation), pass)));
                }
            }
        }
        out.flush();
        return Main.OK;
    }

    /** The dump asked for is one there is; returns the pass of {@code ir-after=PASS}, else null. */
    private String checkDump() {
        if (dump == null || List.of("tokens", "tree", "ast", "ir", "plan").contains(dump)) {
            return null;
        }
        if (dump.startsWith(IR_AFTER) && dump.length() > IR_AFTER.length()) {
            return dump.substring(IR_AFTER.length()); // checked against the pipeline's passes once compiled
        }
        throw new ParameterException(spec.commandLine(), "unknown dump '" + dump + "'"
                + hint(dump, List.of("tokens", "tree", "ast", "ir", "plan", IR_AFTER))
                + "; the dumps are: " + String.join(", ", DUMPS));
    }

    private static String hint(String wrong, List<String> names) {
        String[] notes = Suggestions.didYouMean(wrong, names);
        return notes.length == 0 ? "" : " (" + notes[0] + ")";
    }

    /**
     * What {@code nn inspect FILE} prints without {@code --dump}: the summary of each model (or of {@code --model}) in
     * the chosen format. The table ends with the list of dumps, so the overview still leads to the stages.
     */
    private int overview() {
        String chosenFormat = format == null ? "table" : format;
        if (!FORMATS.contains(chosenFormat)) {
            throw new ParameterException(spec.commandLine(), "unknown format '" + chosenFormat + "'"
                    + hint(chosenFormat, FORMATS) + "; the formats are: " + String.join(", ", FORMATS));
        }
        if (batch != null && batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + batch);
        }
        String chosenGraph = graph == null ? ModelInspector.INFERENCE : graph;
        Compilation compilation = Sources.compile(file);
        if (compilation.hasErrors()) {
            return failed(compilation.diagnostics());
        }
        List<String> models = summarisedModels(compilation, chosenGraph, chosenFormat);
        String text;
        if (chosenFormat.equals("html")) {
            List<InspectHtml.ModelViews> views = new ArrayList<>();
            for (String name : models) {
                views.add(new InspectHtml.ModelViews(summary(compilation, name, ModelInspector.INFERENCE),
                        compilation.trainings().containsKey(name)
                                ? summary(compilation, name, ModelInspector.TRAINING) : null));
            }
            text = InspectHtml.render("nn inspect " + file.getFileName(), views);
        } else {
            List<GraphSummary> summaries = new ArrayList<>();
            for (String name : models) {
                summaries.add(summary(compilation, name, chosenGraph));
            }
            text = switch (chosenFormat) {
                case "json" -> InspectCommand.json(SummaryJson.document(summaries));
                case "dot" -> SummaryDot.print(summaries);
                default -> table(compilation, summaries);
            };
        }
        if (output != null) {
            try {
                Files.writeString(output, text);
            } catch (IOException e) {
                throw new NnException(output + ": cannot write: " + e.getMessage(), e);
            }
            terminal.err().println("wrote " + output);
            terminal.err().flush();
        } else {
            terminal.out().print(text);
            terminal.out().flush();
        }
        return Main.OK;
    }

    private static final List<String> FORMATS = List.of("table", "json", "dot", "html");

    /** A JSON tree of maps and lists, pretty-printed; {@code null}s kept so every field is always there. */
    static String json(Object tree) {
        return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create()
                .toJson(tree) + "\n";
    }

    /** The tables, each headed by the line {@code nn check} prints, then where to look further. */
    private String table(Compilation compilation, List<GraphSummary> summaries) {
        StringBuilder out = new StringBuilder();
        Map<String, ModelSummary> lines = new java.util.HashMap<>();
        compilation.models().forEach(m -> lines.put(m.name(), m));
        for (GraphSummary summary : summaries) {
            ModelSummary line = lines.get(summary.model());
            out.append(line != null ? line.toString() : summary.model() + ": " + String.format(java.util.Locale.ROOT,
                    "%,d parameters, %,d MACs per sample", summary.params(), summary.macs())).append('\n');
            out.append(SummaryTable.print(summary)).append('\n');
        }
        out.append("Also: --graph training (forward, loss, backward, optimizer), --format json|dot|html.\n");
        out.append("See a stage with --dump " + String.join(", ", DUMPS).replace(", plan", " or plan") + ".\n");
        compilation.trainings().values().stream().findFirst().ifPresent(training -> out.append(
                "The passes of ir-after=PASS: " + String.join(", ", training.stages().byPass().keySet()) + ".\n"));
        return out.toString();
    }

    /** The models to summarise: {@code --model}, or every model that has the graph asked for. */
    private List<String> summarisedModels(Compilation compilation, String chosenGraph, String chosenFormat) {
        List<String> all = ModelInspector.models(compilation);
        if (model != null) {
            if (!all.contains(model)) {
                throw new NnException("no model '" + model + "' with a graph in " + file + hint(model, all)
                        + "; models: " + names(all));
            }
            return List.of(model);
        }
        boolean needsTraining = !chosenGraph.equals(ModelInspector.INFERENCE) && !chosenFormat.equals("html");
        List<String> models = needsTraining
                ? all.stream().filter(compilation.trainings()::containsKey).toList() : all;
        if (models.isEmpty()) {
            throw new NnException(file + (all.isEmpty() ? " has no model with a graph of its own"
                    : " has no train block, and --graph " + chosenGraph + " needs one; use --graph inference"));
        }
        return models;
    }

    private GraphSummary summary(Compilation compilation, String name, String which) {
        try {
            return ModelInspector.summarize(compilation, name, which, batch);
        } catch (IllegalArgumentException e) {
            throw new NnException(e.getMessage(), e);
        }
    }

    /**
     * The graph after {@code pass}. The pipeline itself says which passes there are (its stages in order), so this
     * list cannot fall behind it; an unknown name is a usage error that lists them.
     */
    private Graph graphAfter(Compilation.CompiledTraining training, String pass) {
        Map<String, Graph> byPass = training.stages().byPass();
        if (!byPass.containsKey(pass)) {
            List<String> passes = List.copyOf(byPass.keySet());
            throw new ParameterException(spec.commandLine(), "unknown pass '" + pass + "' in --dump " + dump
                    + hint(pass, passes) + "; the passes are: " + String.join(", ", passes));
        }
        return byPass.get(pass);
    }

    /** The forward graphs to print: all, or the one {@code --model} names. */
    private Map<String, Graph> forwardGraphs(Compilation compilation) {
        Map<String, Graph> graphs = compilation.forwardGraphs();
        if (model == null) {
            return graphs;
        }
        if (!graphs.containsKey(model)) {
            throw new NnException("no model '" + model + "' with a graph of its own in " + file
                    + hint(model, List.copyOf(graphs.keySet())) + "; models: " + names(graphs.keySet())
                    + " (a model whose parameters have no defaults has a graph only in its train block: use "
                    + "--dump ir-after=check)");
        }
        return Map.of(model, graphs.get(model));
    }

    /** The train block {@code --model} names, or the file's only one. */
    private Compilation.CompiledTraining training(Compilation compilation) {
        Map<String, Compilation.CompiledTraining> trainings = compilation.trainings();
        if (trainings.isEmpty()) {
            throw new NnException(file + " has no train block, and --dump " + dump + " shows a training graph; "
                    + "add one, e.g. train MyModel { data = fashion_mnist  loss = cross_entropy  "
                    + "optimizer = adam(lr = 0.001) }, or use --dump ir");
        }
        if (model == null) {
            if (trainings.size() > 1) {
                throw new NnException(file + " has several train blocks; choose one with --model: "
                        + names(trainings.keySet()));
            }
            return trainings.values().iterator().next();
        }
        Compilation.CompiledTraining training = trainings.get(model);
        if (training == null) {
            throw new NnException("no train block for model '" + model + "' in " + file
                    + hint(model, List.copyOf(trainings.keySet())) + "; train blocks: " + names(trainings.keySet()));
        }
        return training;
    }

    private static String names(java.util.Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private SourceFile read() {
        try {
            return SourceFile.read(file);
        } catch (CharacterCodingException e) {
            throw new NnException(file + ": not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new NnException(file + ": cannot read: " + (e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    private int failed(Diagnostics diagnostics) {
        PrintStream err = terminal.err();
        int errors = 0;
        for (var diagnostic : diagnostics.all()) {
            err.print(DiagnosticPrinter.format(diagnostic));
            errors += diagnostic.isError() ? 1 : 0;
        }
        err.println(Sources.errorCount(errors));
        err.flush();
        return Main.USER_ERROR;
    }
}
