package org.nnlang.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.data.Batcher;
import org.nnlang.runtime.data.DataSource;
import org.nnlang.runtime.data.Dataset;
import org.nnlang.runtime.data.Datasets;
import org.nnlang.runtime.io.Checkpoints;
import org.nnlang.runtime.io.Safetensors;
import org.nnlang.runtime.kernels.Losses;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;
import org.nnlang.runtime.train.TrainConfig;
import org.nnlang.runtime.train.TrainingJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nn eval FILE --weights W.safetensors}: loads saved weights into the model and measures it on the test
 * split — the mean loss and the accuracy — with the inference schedule (evaluation mode: no dropout, batch
 * normalisation on its running statistics), so the accuracy is the one {@code nn train} printed after its last epoch.
 *
 * <p>The loss is computed here from the model's output, as the train block's loss defines it: for
 * {@code cross_entropy} the mean over the test samples of {@code log Σ exp(z) − z[label]}; for {@code mse} the mean
 * of {@code (z − one_hot(label))²} over every output of every sample. (The training schedule's loss step cannot be
 * used: it runs the training forward pass, with dropout and batch statistics.)
 */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Load saved weights into a model and print its loss and accuracy on the test data."},
        footer = {"", "Examples:",
                "  nn train examples/seed-mlp.nn --save seed-mlp.safetensors",
                "  nn eval examples/seed-mlp.nn --weights seed-mlp.safetensors",
                "  nn eval examples/seed-mlp.nn --weights seed-mlp.safetensors --data ~/data/fashion-mnist"})
final class EvalCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file holding the model and its train block")
    Path file;

    @Option(names = "--model", paramLabel = "NAME",
            description = "which model to evaluate; needed when the file has several train blocks")
    String model;

    @Option(names = "--weights", paramLabel = "W.safetensors", required = true,
            description = "the weights to evaluate, as 'nn train --save' wrote them")
    Path weights;

    @Option(names = "--device", paramLabel = "cpu|gpu|fpga|auto",
            description = "where to evaluate, instead of the train block's device; gpu and fpga need TornadoVM "
                    + "(docs/gpu.md)")
    String device;

    @Option(names = "--data", paramLabel = "DIR",
            description = "take the test data from this folder of MNIST-format IDX files instead of the train "
                    + "block's source (t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, raw or gzipped, and the "
                    + "two train files)")
    Path data;

    EvalCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The loss and accuracy of a model on a data set. */
    record Evaluation(double loss, String lossName, long correct, int count) {
        double accuracy() {
            return (double) correct / count;
        }
    }

    @Override
    public Integer call() {
        Sources.requireFile(spec.commandLine(), file);
        requireWeights(spec.commandLine(), "--weights", weights);
        PrintStream out = terminal.out();
        PrintStream err = terminal.err();

        Optional<TrainingJob> found = Sources.trainingJob(file, model, err);
        if (found.isEmpty()) {
            return Main.USER_ERROR;
        }
        ExecutionPlan plan = found.get().plan();
        TrainConfig config = found.get().config();
        if (data != null) {
            config = config.withData(new DataSource.IdxFolder(data.toString()));
        }

        Safetensors.Contents checkpoint = Checkpoints.read(weights);
        Checkpoints.checkFits(checkpoint, plan, false);
        Dataset test = Datasets.load(config.data()).test();
        checkFits(plan, test);

        out.printf(Locale.ROOT, "model    %s, %,d parameters%n", plan.modelName(), plan.parameterCount());
        out.println("weights  " + weights + TrainCommand.describeOrigin(checkpoint));
        out.printf(Locale.ROOT, "data     %s: %,d test samples of %s, %d classes%n", TrainCommand.describe(
                config.data()), test.count(), Arrays.toString(test.sampleShape()), test.classes());
        out.flush();

        Backend.Choice choice = Backend.choose(device != null ? Devices.requireKnown(spec.commandLine(), device)
                : config.device());
        Devices.warnIfSlowKernels(err, choice.backend());
        Evaluation result;
        try (Executable executable = choice.backend().load(plan, config.batch(), new Rng(config.seed()))) {
            Devices.printDeviceLine(out, choice, executable);
            Checkpoints.load(executable, checkpoint, false);
            result = evaluate(executable, test);
        }
        out.printf(Locale.ROOT, "test loss %.4f (%s)  test acc %.2f%% (%,d of %,d)%n", result.loss(),
                result.lossName(), 100 * result.accuracy(), result.correct(), result.count());
        out.flush();
        return Main.OK;
    }

    /**
     * Runs the inference schedule over {@code data} in file order and measures the loss the plan trains with and
     * the accuracy (argmax of the output, as {@code Trainer.accuracy} counts it).
     */
    static Evaluation evaluate(Executable executable, Dataset data) {
        ExecutionPlan plan = executable.plan();
        boolean mse = plan.trainingSteps().stream().map(StepSpec::kernel).anyMatch("mse"::equals);
        Batcher batches = new Batcher(data, executable.batchCapacity(), false, null);
        float[] input = executable.buffer(plan.input());
        float[] target = executable.buffer(plan.target());
        float[] output = executable.buffer(plan.output());
        int classes = plan.buffer(plan.output()).sampleSize();
        double lossSum = 0;
        long correct = 0;
        for (int b = 0; b < batches.batchCount(); b++) {
            int n = batches.fill(b, input, target);
            executable.infer(n);
            correct += Losses.countCorrect(output, target, n, classes);
            for (int r = 0; r < n; r++) {
                int label = (int) target[r];
                lossSum += mse ? squaredError(output, r * classes, classes, label)
                        : crossEntropy(output, r * classes, classes, label);
            }
        }
        double loss = mse ? lossSum / ((double) data.count() * classes) : lossSum / data.count();
        return new Evaluation(loss, mse ? "mse" : "cross-entropy", correct, data.count());
    }

    /** {@code log Σ_k exp(z_k) − z_label}, with the row maximum subtracted first so nothing overflows. */
    private static double crossEntropy(float[] z, int row, int classes, int label) {
        double max = z[row];
        for (int c = 1; c < classes; c++) {
            max = Math.max(max, z[row + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(z[row + c] - max);
        }
        return Math.log(sum) - (z[row + label] - max);
    }

    /** {@code Σ_k (z_k − [k = label])²}. */
    private static double squaredError(float[] z, int row, int classes, int label) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            double d = z[row + c] - (c == label ? 1.0 : 0.0);
            sum += d * d;
        }
        return sum;
    }

    /** Test data that does not fit the model is the user's to fix (as {@code nn train} words it). */
    private static void checkFits(ExecutionPlan plan, Dataset data) {
        int[] input = plan.buffer(plan.input()).dims();
        if (!Arrays.equals(input, data.sampleShape())) {
            throw new NnException("model '" + plan.modelName() + "' takes samples of shape " + Arrays.toString(input)
                    + " but " + data.source() + " has samples of shape " + Arrays.toString(data.sampleShape()));
        }
        int outputs = plan.buffer(plan.output()).sampleSize();
        if (outputs < data.classes()) {
            throw new NnException("model '" + plan.modelName() + "' outputs " + outputs + " scores per sample but "
                    + data.source() + " has " + data.classes() + " classes");
        }
    }

    /** A weights file that is missing or a folder is a usage error, like a missing {@code .nn} file. */
    static void requireWeights(CommandLine commandLine, String option, Path path) {
        if (!Files.exists(path)) {
            throw new ParameterException(commandLine, option + ": file not found: " + path);
        }
        if (Files.isDirectory(path)) {
            throw new ParameterException(commandLine, option + ": " + path + " is a folder, expected a "
                    + ".safetensors file");
        }
    }
}
