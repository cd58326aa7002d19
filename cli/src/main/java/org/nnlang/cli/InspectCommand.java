package org.nnlang.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.ModelSummary;
import org.nnlang.compiler.ast.AstPrinter;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphPrinter;
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
 * same printers the golden tests use. Without {@code --dump} it prints an overview of the file's models
 * ({@link #overview}, the place for a fuller summary table later) and the list of dumps.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Show what each stage of the compiler makes of a .nn file.",
                "Without --dump: one line per model and the list of dumps."},
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

    InspectCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        String pass = checkDump();
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
     * What {@code nn inspect FILE} prints without {@code --dump}: the models as {@code nn check} summarises them, and
     * the dumps there are. This is the place for a per-layer summary table (shapes, parameters, memory).
     */
    private int overview() {
        Compilation compilation = Sources.compile(file);
        if (compilation.hasErrors()) {
            return failed(compilation.diagnostics());
        }
        PrintStream out = terminal.out();
        for (ModelSummary summary : compilation.models()) {
            out.println(summary);
        }
        out.println();
        out.println("See a stage with --dump " + String.join(", ", DUMPS).replace(", plan", " or plan") + ".");
        compilation.trainings().values().stream().findFirst().ifPresent(training -> out.println(
                "The passes of ir-after=PASS: " + String.join(", ", training.stages().byPass().keySet()) + "."));
        out.flush();
        return Main.OK;
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
