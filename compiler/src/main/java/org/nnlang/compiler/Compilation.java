package org.nnlang.compiler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nnlang.compiler.ast.CompilationUnit;
import org.nnlang.compiler.ast.Declaration;
import org.nnlang.compiler.ast.Parameter;
import org.nnlang.compiler.check.Declarations;
import org.nnlang.compiler.check.ModelChecker;
import org.nnlang.compiler.check.ProgramLoader;
import org.nnlang.compiler.check.UnusedBlocks;
import org.nnlang.compiler.check.ParameterBinder;
import org.nnlang.compiler.check.TrainChecker;
import org.nnlang.compiler.check.TrainSettings;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ops.ShapeException;
import org.nnlang.compiler.passes.TrainingPipeline;
import org.nnlang.compiler.plan.PlanBuilder;
import org.nnlang.compiler.plan.PlanOptions;
import org.nnlang.compiler.source.Diagnostics;
import org.nnlang.compiler.source.SourceFile;
import org.nnlang.compiler.source.Span;
import org.nnlang.compiler.source.Suggestions;
import org.nnlang.runtime.train.TrainConfig;
import org.nnlang.runtime.train.TrainingJob;

/**
 * The result of compiling one file: every diagnostic, each model's forward graph, and for each {@code train} block
 * the graphs after every training pass and the execution plan. Compiling is eager, so {@code nn check} reports the
 * mistakes of train blocks too.
 */
public final class Compilation {
    private final SourceFile file;
    private final PlanOptions planOptions;
    private final Diagnostics diagnostics = new Diagnostics();
    private CompilationUnit unit;
    private Declarations declarations;
    private final Map<String, Graph> models = new LinkedHashMap<>();
    private final Map<String, CompiledTraining> trainings = new LinkedHashMap<>();

    /** One compiled {@code train} block. */
    public record CompiledTraining(Declaration.Train declaration, TrainSettings settings,
                                   TrainingPipeline.Stages stages, TrainingJob job) {
    }

    private Compilation(SourceFile file, PlanOptions planOptions) {
        this.file = file;
        this.planOptions = planOptions;
    }

    static Compilation of(SourceFile file, PlanOptions planOptions) {
        Compilation compilation = new Compilation(file, planOptions);
        compilation.compile();
        return compilation;
    }

    private void compile() {
        ProgramLoader.Program program = ProgramLoader.load(file, diagnostics);
        unit = program.main();
        declarations = program.declarations();
        if (diagnostics.hasErrors()) {
            return; // checking a tree rebuilt around syntax errors would mostly report their echoes
        }
        for (Declaration declaration : unit.declarations()) {
            if (declaration instanceof Declaration.Distill distill) {
                diagnostics.error(distill.span(), "distill is part of the language but not implemented yet");
            } else if (declaration instanceof Declaration.Prune prune) {
                diagnostics.error(prune.span(), "prune is part of the language but not implemented yet");
            }
        }
        for (Declaration.Model model : declarations.models().values()) {
            if (model.parameters().stream().noneMatch(Parameter::isRequired)) {
                Map<String, Object> defaults = ParameterBinder.bind("model " + model.name(), model.parameters(),
                        List.of(), Map.of(), model.nameSpan(), diagnostics);
                Graph graph = defaults == null ? null
                        : ModelChecker.check(model, defaults, declarations, diagnostics);
                if (graph != null) {
                    models.put(model.name(), graph);
                }
            }
        }
        for (Declaration declaration : unit.declarations()) {
            if (declaration instanceof Declaration.Train train) {
                compileTraining(train);
            }
        }
        UnusedBlocks.warn(program, diagnostics);
    }

    private void compileTraining(Declaration.Train train) {
        Map<String, Declaration.Model> modelDeclarations = declarations.models();
        Declaration.Model model = modelDeclarations.get(train.model());
        if (model == null) {
            String[] hint = Suggestions.didYouMean(train.model(), modelDeclarations.keySet());
            diagnostics.error(train.modelSpan(), "train refers to unknown model '" + train.model() + "'",
                    hint.length > 0 ? hint : new String[] {"models in this file: "
                            + (modelDeclarations.isEmpty() ? "none" : String.join(", ", modelDeclarations.keySet()))});
            TrainChecker.check(train, diagnostics); // still report the settings' own mistakes
            return;
        }
        if (trainings.containsKey(train.model())) {
            diagnostics.error(train.modelSpan(), "model '" + train.model() + "' already has a train block",
                    "first at " + trainings.get(train.model()).declaration().modelSpan());
            return;
        }
        TrainSettings settings = TrainChecker.check(train, diagnostics);
        Map<String, Object> arguments = ParameterBinder.bind("model " + model.name(), model.parameters(),
                train.modelArguments(), Map.of(), train.modelSpan(), diagnostics);
        if (settings == null || arguments == null) {
            return;
        }
        Graph forward = train.modelArguments().isEmpty() && models.containsKey(model.name())
                ? models.get(model.name())
                : ModelChecker.check(model, arguments, declarations, diagnostics);
        if (forward == null) {
            return;
        }
        TrainingPipeline.Stages stages;
        try {
            stages = TrainingPipeline.run(forward, settings.loss(), settings.lossSpan(), settings.optimizer(),
                    settings.clipGradNorm());
        } catch (ShapeException e) {
            diagnostics.error(settings.lossSpan(), e.getMessage());
            return;
        }
        TrainConfig config = new TrainConfig(settings.data(), settings.batch(), settings.shuffle(),
                settings.epochs(), settings.seed(), settings.device(), settings.schedule());
        TrainingJob job = new TrainingJob(PlanBuilder.build(stages, planOptions), config);
        trainings.put(model.name(), new CompiledTraining(train, settings, stages, job));
    }

    public SourceFile file() {
        return file;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }

    public boolean hasErrors() {
        return diagnostics.hasErrors();
    }

    public CompilationUnit unit() {
        return unit;
    }

    /** The forward graph of every model that compiled on its own (models without required parameters). */
    public Map<String, Graph> forwardGraphs() {
        return java.util.Collections.unmodifiableMap(models);
    }

    /** The compiled {@code train} blocks by model name, in source order. */
    public Map<String, CompiledTraining> trainings() {
        return java.util.Collections.unmodifiableMap(trainings);
    }

    /** One summary per model of the file that compiled on its own, in source order; empty after errors. */
    public List<ModelSummary> models() {
        List<ModelSummary> summaries = new ArrayList<>();
        if (!hasErrors()) {
            models.forEach((name, graph) -> summaries.add(
                    new ModelSummary(name, graph.parameterCount(), graph.macs(), graph.output().type().toString())));
        }
        return summaries;
    }

    /**
     * The training job of the {@code train} block for {@code modelName}, or of the file's only {@code train} block
     * when {@code modelName} is null. Empty when there is none or the file has errors; the reasons are then in
     * {@link #diagnostics()}.
     */
    public Optional<TrainingJob> trainingJob(String modelName) {
        if (hasErrors()) {
            return Optional.empty();
        }
        Span top = new Span(file, 1, 1, 1);
        if (modelName == null) {
            if (trainings.size() == 1) {
                return Optional.of(trainings.values().iterator().next().job());
            }
            diagnostics.error(top, trainings.isEmpty() ? "there is no train block in this file"
                    : "this file has several train blocks; choose one with --model",
                    trainings.isEmpty() ? "add one, e.g. train MyModel { data = fashion_mnist  loss = cross_entropy"
                            + "  optimizer = adam(lr = 0.001) }" : "models: " + String.join(", ", trainings.keySet()));
            return Optional.empty();
        }
        CompiledTraining training = trainings.get(modelName);
        if (training == null) {
            String[] hint = Suggestions.didYouMean(modelName, trainings.keySet());
            diagnostics.error(top, "no train block for model '" + modelName + "'", hint.length > 0 ? hint
                    : new String[] {"train blocks: " + (trainings.isEmpty() ? "none"
                            : String.join(", ", trainings.keySet()))});
            return Optional.empty();
        }
        return Optional.of(training.job());
    }
}
