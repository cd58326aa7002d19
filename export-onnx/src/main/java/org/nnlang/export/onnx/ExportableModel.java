package org.nnlang.export.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.Verifier;
import org.nnlang.compiler.passes.InferenceGraph;
import org.nnlang.compiler.passes.TrainingPipeline;
import org.nnlang.compiler.source.Suggestions;
import org.nnlang.export.onnx.proto.Onnx;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.io.Checkpoints;
import org.nnlang.runtime.io.Safetensors;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.Init;
import org.nnlang.runtime.tensor.Rng;

/**
 * A model of a compiled file ready to export: its inference graph and the seed its weights start from, plus the ways
 * to get weights for it (freshly initialised, or copied out of a loaded plan).
 *
 * @param inference the graph to export
 * @param forward   the forward graph it was derived from (for the {@code .nn} lines of its nodes)
 * @param seed      the {@code train} block's seed, or 0 for a model without one
 */
public record ExportableModel(Graph inference, Graph forward, long seed) {
    /**
     * The inference graph of {@code modelName} in {@code compilation}: the one its {@code train} block compiled
     * ({@code stages().inference()}), or for a model without a train block its forward graph through
     * {@link InferenceGraph#derive}. With {@code modelName} null the file must hold exactly one model.
     *
     * @throws OnnxExportException when there is no such model, or several and none was chosen
     */
    public static ExportableModel of(Compilation compilation, String modelName) {
        if (compilation.hasErrors()) {
            throw new OnnxExportException(compilation.file().name() + " has errors; fix them before exporting");
        }
        Set<String> models = new LinkedHashSet<>(compilation.forwardGraphs().keySet());
        models.addAll(compilation.trainings().keySet());
        String name = modelName;
        if (name == null) {
            if (models.size() != 1) {
                throw new OnnxExportException(compilation.file().name() + (models.isEmpty()
                        ? " has no model that compiles on its own (a model with required parameters needs a train "
                        + "block that gives them)" : " has several models; choose one with --model: "
                        + String.join(", ", models)));
            }
            name = models.iterator().next();
        }
        Compilation.CompiledTraining training = compilation.trainings().get(name);
        if (training != null) {
            return new ExportableModel(training.stages().inference(),
                    training.stages().byPass().get(TrainingPipeline.FORWARD), training.settings().seed());
        }
        Graph forward = compilation.forwardGraphs().get(name);
        if (forward == null) {
            String[] hint = Suggestions.didYouMean(name, models);
            throw new OnnxExportException("no model '" + name + "' in " + compilation.file().name()
                    + (hint.length > 0 ? "; " + hint[0] : models.isEmpty() ? "" : "; models: "
                    + String.join(", ", models)));
        }
        Graph inference = InferenceGraph.derive(forward, GraphBuilder.extending(forward).nextId()).graph();
        return new ExportableModel(Verifier.verify(inference, TrainingPipeline.INFERENCE), forward, 0);
    }

    /** The ONNX model of this model with {@code weights} ({@link OnnxExporter#export(Graph, Graph, Map)}). */
    public Onnx.ModelProto export(Map<String, float[]> weights) {
        return OnnxExporter.export(inference, forward, weights);
    }

    /** The model's name. */
    public String name() {
        return inference.name();
    }

    /**
     * Weights as {@code nn train} starts from with {@code seed}: the parameters drawn in order from the
     * initialisation stream of {@code new Rng(seed)} (its first {@link Rng#split}), constants filled, exactly as the
     * CPU backend fills a freshly loaded plan.
     */
    public static Map<String, float[]> initialWeights(Graph graph, long seed) {
        Rng rng = new Rng(seed).split();
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Value value : OnnxExporter.weightValues(graph)) {
            float[] values = new float[value.type().size()];
            if (value.init() instanceof Init.Constant constant) {
                Arrays.fill(values, (float) constant.value());
            } else if (value.init() instanceof Init.Uniform uniform) {
                float bound = (float) uniform.bound();
                for (int i = 0; i < values.length; i++) {
                    values[i] = rng.uniform(-bound, bound);
                }
            }
            weights.put(value.name(), values);
        }
        return weights;
    }

    /** {@link #initialWeights(Graph, long)} of this model with its seed. */
    public Map<String, float[]> initialWeights() {
        return initialWeights(inference, seed);
    }

    /** Copies of the parameter and model-state buffers of a loaded plan, by buffer name (e.g. after training). */
    public static Map<String, float[]> weightsOf(Executable executable) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (BufferSpec spec : executable.plan().buffers()) {
            if (spec.role() == BufferRole.PARAMETER || spec.role() == BufferRole.MODEL_STATE) {
                weights.put(spec.name(), Arrays.copyOf(executable.buffer(spec.id()), spec.sampleSize()));
            }
        }
        return weights;
    }

    /**
     * The weights in a safetensors checkpoint ({@code nn train --save}, or PyTorch's {@code save_file}) for this
     * model, checked as strictly as {@code Checkpoints} loads them: every weight the model needs, with its shape, and
     * no weights it does not have. Optimizer state ({@value Checkpoints#OPTIMIZER_PREFIX}…) is ignored.
     *
     * @throws org.nnlang.runtime.NnException for an unreadable file or one that does not fit the model
     */
    public Map<String, float[]> weightsFrom(Path file) {
        Safetensors.Contents contents = Checkpoints.read(file);
        Map<String, float[]> weights = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> needed = new LinkedHashSet<>();
        for (Value value : OnnxExporter.weightValues(inference)) {
            needed.add(value.name());
            Safetensors.Tensor tensor = contents.tensor(value.name());
            if (tensor == null) {
                problems.add("'" + value.name() + "' " + value.type() + " is missing");
            } else if (!Arrays.equals(tensor.shape(), value.type().dims())) {
                problems.add("'" + value.name() + "' is " + Arrays.toString(tensor.shape()) + " but model "
                        + name() + " has " + value.type());
            } else {
                weights.put(value.name(), tensor.data());
            }
        }
        for (String name : contents.names()) {
            if (!needed.contains(name) && !name.startsWith(Checkpoints.OPTIMIZER_PREFIX)) {
                problems.add("'" + name + "' is not a weight of model " + name());
            }
        }
        if (!problems.isEmpty()) {
            throw new OnnxExportException(file + " does not fit model " + name() + ": "
                    + String.join("; ", problems.size() <= 6 ? problems : problems.subList(0, 6))
                    + (problems.size() > 6 ? "; and " + (problems.size() - 6) + " more" : ""));
        }
        return weights;
    }

    /** The names of the weights the model needs, in order. */
    public List<String> weightNames() {
        List<String> names = new ArrayList<>();
        OnnxExporter.weightValues(inference).forEach(v -> names.add(v.name()));
        return names;
    }
}
