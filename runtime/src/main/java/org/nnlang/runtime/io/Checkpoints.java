package org.nnlang.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;

/**
 * Checkpoints: a loaded model's weights in a {@link Safetensors} file, which PyTorch reads too.
 *
 * <p>What is saved: every buffer of role {@link BufferRole#PARAMETER} (weights and biases) and
 * {@link BufferRole#MODEL_STATE} (batch normalisation's running statistics), each as an F32 tensor named as in the
 * plan — the {@code .nn} value paths, {@code linear1.weight}, {@code batchnorm1.running_mean} — with the plan's
 * shape ({@link BufferSpec#dims()}, row-major like PyTorch: a linear layer's weight is {@code [out, in]}). The
 * metadata says {@code format = nnlang-checkpoint}, {@code model} (the model's name) and {@code nnlang_version}.
 *
 * <p>Optimizer state: on request ({@code includeOptimizerState}), the {@link BufferRole#OPTIMIZER_STATE} buffers too
 * — momentum, Adam's moments and step counters — under the prefix {@value #OPTIMIZER_PREFIX}
 * ({@code optimizer/linear1.weight.adam_m}); a {@code /} never occurs in a {@code .nn} name, so these can never be
 * taken for weights, and a PyTorch user drops them with one {@code startswith}. With them, training continues from
 * a checkpoint exactly as if it had never stopped, step for step, as long as it sees the same batches (the shuffling
 * order and dropout's random stream are not saved). Without them (the default, and what {@code nn train --save}
 * writes) the file is a third of the size for Adam and is what evaluation and fine-tuning need.
 *
 * <p>Loading is strict, because a checkpoint that silently half-fits gives a model that is quietly wrong: every
 * weight the model has must be in the file, with the same shape, and the file must hold no weights the model does
 * not have. Optimizer state in the file is ignored unless asked for; when asked for, it must be all there.
 */
public final class Checkpoints {
    /** The {@code format} metadata of an nnlang checkpoint. */
    public static final String FORMAT = "nnlang-checkpoint";
    /** The name prefix of optimizer-state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";

    private static final String RUNTIME_POM = "/META-INF/maven/org.nnlang/nnlang-runtime/pom.properties";
    /** How many names a message lists before it says "and N more". */
    private static final int LISTED = 12;

    private Checkpoints() {
    }

    /** Saves the weights and model state of {@code executable} to {@code file} (atomically). */
    public static void save(Executable executable, Path file) {
        save(executable, file, false);
    }

    /**
     * Saves the weights and model state of {@code executable}, and its optimizer state if
     * {@code includeOptimizerState}, to {@code file}; a failure leaves an existing file untouched.
     *
     * @throws NnException if the file cannot be written
     */
    public static void save(Executable executable, Path file, boolean includeOptimizerState) {
        ExecutionPlan plan = executable.plan();
        executable.syncToHost();
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (BufferSpec spec : plan.buffers()) {
            String name = tensorName(spec, includeOptimizerState);
            if (name != null) {
                float[] buffer = executable.buffer(spec.id());
                float[] data = buffer.length == spec.sampleSize() ? buffer
                        : Arrays.copyOf(buffer, spec.sampleSize());
                tensors.add(new Safetensors.Tensor(name, spec.dims(), data));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("model", plan.modelName());
        metadata.put("nnlang_version", nnlangVersion());
        metadata.put("optimizer_state", includeOptimizerState ? "included" : "not included");
        Safetensors.write(file, tensors, metadata);
    }

    /** Reads a checkpoint without loading it anywhere; {@link #checkFits} and {@link #load} take the result. */
    public static Safetensors.Contents read(Path file) {
        return Safetensors.read(file);
    }

    /** Loads the weights and model state in {@code file} into {@code executable}, ignoring any optimizer state. */
    public static void load(Executable executable, Path file) {
        load(executable, read(file), false);
    }

    /** As {@link #load(Executable, Safetensors.Contents, boolean)}, reading {@code file} first. */
    public static void load(Executable executable, Path file, boolean includeOptimizerState) {
        load(executable, read(file), includeOptimizerState);
    }

    /**
     * Copies the weights and model state in {@code checkpoint} (and its optimizer state, if
     * {@code includeOptimizerState}) into {@code executable}'s buffers, after {@link #checkFits} has found nothing
     * wrong; on a mismatch nothing is copied.
     */
    public static void load(Executable executable, Safetensors.Contents checkpoint, boolean includeOptimizerState) {
        ExecutionPlan plan = executable.plan();
        checkFits(checkpoint, plan, includeOptimizerState);
        for (BufferSpec spec : plan.buffers()) {
            String name = tensorName(spec, includeOptimizerState);
            if (name != null) {
                float[] data = checkpoint.tensor(name).data();
                System.arraycopy(data, 0, executable.buffer(spec.id()), 0, data.length);
            }
        }
        executable.syncToDevice();
    }

    /**
     * Checks that {@code checkpoint} fits {@code plan}: every tensor the plan needs is there with the plan's shape,
     * and no other weights are (optimizer state is needed only if {@code includeOptimizerState}, and ignored
     * otherwise).
     *
     * @throws NnException naming the file, the tensors at fault and, for a missing tensor, what the file has
     */
    public static void checkFits(Safetensors.Contents checkpoint, ExecutionPlan plan, boolean includeOptimizerState) {
        Path file = checkpoint.file();
        Set<String> expected = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        boolean optimizerMissing = false;
        for (BufferSpec spec : plan.buffers()) {
            String name = tensorName(spec, includeOptimizerState);
            if (name == null) {
                continue;
            }
            expected.add(name);
            Safetensors.Tensor tensor = checkpoint.tensor(name);
            if (tensor == null) {
                missing.add(name);
                optimizerMissing |= spec.role() == BufferRole.OPTIMIZER_STATE;
            } else if (!Arrays.equals(tensor.shape(), spec.dims())) {
                problems.add("tensor '" + name + "' has shape " + Arrays.toString(tensor.shape()) + " in the file but "
                        + Arrays.toString(spec.dims()) + " in the model");
            }
        }
        List<String> unexpected = new ArrayList<>();
        List<String> weightsInFile = new ArrayList<>();
        for (String name : checkpoint.names()) {
            boolean optimizer = name.startsWith(OPTIMIZER_PREFIX);
            if (!optimizer) {
                weightsInFile.add(name);
            }
            if (!expected.contains(name) && (includeOptimizerState || !optimizer)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty()) {
            problems.add((missing.size() == 1 ? "tensor " : "tensors ") + quoted(missing) + " "
                    + (missing.size() == 1 ? "is" : "are") + " missing (the file has " + (weightsInFile.isEmpty()
                    ? "no weights" : quoted(weightsInFile)) + ")"
                    + (optimizerMissing && weightsInFile.size() == checkpoint.names().size()
                    ? "; it was saved without optimizer state" : ""));
        }
        if (!unexpected.isEmpty()) {
            problems.add("the model has no " + (unexpected.size() == 1 ? "tensor " : "tensors ") + quoted(unexpected));
        }
        if (problems.isEmpty()) {
            return;
        }
        String savedFrom = checkpoint.metadata().get("model");
        boolean otherModel = !unexpected.isEmpty() || (savedFrom != null && !savedFrom.equals(plan.modelName()));
        throw new NnException("checkpoint " + file + " does not fit model '" + plan.modelName() + "': "
                + String.join("; ", problems)
                + (otherModel ? "; was it saved from another model" + (savedFrom != null ? " (it says it was saved "
                + "from '" + savedFrom + "')" : "") + "?" : ""));
    }

    /** The tensor name of a buffer, or null if checkpoints do not hold it. */
    private static String tensorName(BufferSpec spec, boolean includeOptimizerState) {
        return switch (spec.role()) {
            case PARAMETER, MODEL_STATE -> spec.name();
            case OPTIMIZER_STATE -> includeOptimizerState ? OPTIMIZER_PREFIX + spec.name() : null;
            default -> null;
        };
    }

    private static String quoted(List<String> names) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(names.size(), LISTED); i++) {
            s.append(i > 0 ? ", " : "").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > LISTED) {
            s.append(" and ").append(names.size() - LISTED).append(" more");
        }
        return s.toString();
    }

    /** The runtime's version from its jar's Maven descriptor, or {@code development build} from class folders. */
    public static String nnlangVersion() {
        try (InputStream in = Checkpoints.class.getResourceAsStream(RUNTIME_POM)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null) {
                    return version;
                }
            }
        } catch (IOException e) {
            // The version is a courtesy, never a reason to fail.
        }
        return "development build";
    }
}
