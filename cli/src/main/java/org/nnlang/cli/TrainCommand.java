package org.nnlang.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.data.DataSource;
import org.nnlang.runtime.data.Dataset;
import org.nnlang.runtime.data.Datasets;
import org.nnlang.runtime.data.TrainTestSplit;
import org.nnlang.runtime.io.Checkpoints;
import org.nnlang.runtime.io.Safetensors;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.TrainConfig;
import org.nnlang.runtime.train.Trainer;
import org.nnlang.runtime.train.TrainingJob;
import org.nnlang.runtime.train.TrainingListener;
import org.nnlang.runtime.train.TrainingReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nn train FILE}: compile, load the data, train as the file's {@code train} block says, report each epoch. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Train a model as the file's train block says, printing the loss and test accuracy of every "
                + "epoch."},
        footer = {"", "Examples:",
                "  nn train examples/seed-mlp.nn",
                "  nn train models.nn --model SeparableCnn --epochs 3 --report run.json",
                "  nn train examples/seed-mlp.nn --data ~/data/fashion-mnist",
                "  nn train examples/seed-mlp.nn --save seed-mlp.safetensors",
                "  nn train examples/seed-mlp.nn --init seed-mlp.safetensors --epochs 2 --save tuned.safetensors"})
final class TrainCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file holding the model and its train block")
    Path file;

    @Option(names = "--model", paramLabel = "NAME",
            description = "which model's train block to run; needed when the file has several")
    String model;

    @Option(names = "--epochs", paramLabel = "N", description = "train for N epochs instead of the train block's")
    Integer epochs;

    @Option(names = "--data", paramLabel = "DIR",
            description = "read the data from this folder of MNIST-format IDX files instead of the train block's "
                    + "source: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                    + "t10k-labels-idx1-ubyte, each raw or gzipped (.gz)")
    Path data;

    @Option(names = "--report", paramLabel = "FILE.json",
            description = "write the per-epoch figures to this JSON file")
    Path report;

    @Option(names = "--save", paramLabel = "W.safetensors",
            description = "after training, save the weights (and batchnorm statistics) to this safetensors file; "
                    + "see 'nn eval' and docs/checkpoints.md")
    Path save;

    @Option(names = "--init", paramLabel = "W.safetensors",
            description = "start from the weights in this safetensors file instead of random ones (fine-tuning); "
                    + "it must have been saved from the same model")
    Path init;

    @Option(names = "--device", paramLabel = "cpu|gpu|fpga|auto",
            description = "where to train, instead of the train block's device; gpu and fpga need TornadoVM "
                    + "(docs/gpu.md), auto takes an accelerator only when there is one")
    String device;

    @Option(names = "--plot", paramLabel = "CURVES.png|.svg",
            description = "after training, plot the loss and test accuracy of every epoch into this PNG or SVG file")
    Path plot;

    TrainCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (epochs != null && epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        }
        Sources.requireFile(spec.commandLine(), file);
        if (plot != null && TrainingPlot.formatOf(plot) == null) {
            throw new ParameterException(spec.commandLine(), "--plot " + plot
                    + ": the file name must end in .png or .svg");
        }
        if (init != null) {
            EvalCommand.requireWeights(spec.commandLine(), "--init", init);
        }
        if (save != null && java.nio.file.Files.isDirectory(save)) {
            throw new ParameterException(spec.commandLine(), "--save " + save + " is a folder, expected a file name "
                    + "such as " + save.resolve("weights.safetensors"));
        }
        PrintStream out = terminal.out();
        PrintStream err = terminal.err();

        Optional<TrainingJob> found = Sources.trainingJob(file, model, err);
        if (found.isEmpty()) {
            return Main.USER_ERROR;
        }
        TrainingJob job = found.get();
        TrainConfig config = job.config();
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        if (data != null) {
            config = config.withData(new DataSource.IdxFolder(data.toString()));
        }
        if (device != null) {
            config = config.withDevice(Devices.requireKnown(spec.commandLine(), device));
        }
        job = new TrainingJob(job.plan(), config);
        // Chosen before the data is loaded, so a missing accelerator is reported at once.
        Backend.Choice choice = Backend.choose(config.device());
        Devices.warnIfSlowKernels(err, choice.backend());

        // A checkpoint that does not fit is found before the data is loaded and anything is trained.
        Safetensors.Contents initial = null;
        if (init != null) {
            initial = Checkpoints.read(init);
            Checkpoints.checkFits(initial, job.plan(), false);
        }

        TrainTestSplit split = Datasets.load(config.data());
        printHeader(out, job, split);
        if (initial != null) {
            out.println("weights  " + init + describeOrigin(initial));
            out.flush();
        }

        TrainingReport result;
        try (TrainProgress progress = new TrainProgress(terminal, config.epochs())) {
            result = Trainer.train(job, split, around(progress, out, choice, initial), choice.backend());
        }
        printSummary(out, result);
        if (save != null) {
            out.println("weights saved to " + save);
        }
        if (report != null) {
            Reports.write(report, result);
            out.println("report written to " + report);
        }
        if (plot != null) {
            TrainingPlot.write(result, plot);
            out.println("training curves plotted to " + plot);
        }
        out.flush();
        return Main.OK;
    }

    /**
     * {@code progress}, plus what happens around the epochs: once the plan is loaded, the line naming the device the
     * steps really run on (and, for {@code device = auto}, why that one) and the {@code --init} weights; after the
     * last epoch, the {@code --save} checkpoint.
     */
    private TrainingListener around(TrainingListener progress, PrintStream out, Backend.Choice choice,
                                    Safetensors.Contents initial) {
        return new TrainingListener() {
            @Override
            public void loaded(Executable executable) {
                Devices.printDeviceLine(out, choice, executable);
                if (initial != null) {
                    Checkpoints.load(executable, initial, false);
                }
                progress.loaded(executable);
            }

            @Override
            public void epochStarted(int epoch, int epochs, int batches) {
                progress.epochStarted(epoch, epochs, batches);
            }

            @Override
            public void batchFinished(int epoch, int batch, float loss) {
                progress.batchFinished(epoch, batch, loss);
            }

            @Override
            public void epochFinished(EpochResult result) {
                progress.epochFinished(result);
            }

            @Override
            public void finished(Executable executable) {
                progress.finished(executable);
                if (save != null) {
                    Checkpoints.save(executable, save);
                }
            }
        };
    }

    /** {@code  (saved by nnlang 0.1.0 from model SeedMlp)}, from what the file's metadata says, if anything. */
    static String describeOrigin(Safetensors.Contents checkpoint) {
        String model = checkpoint.metadata().get("model");
        String version = checkpoint.metadata().get("nnlang_version");
        if (model == null && version == null) {
            return "";
        }
        return " (saved" + (version != null ? " by nnlang " + version : "") + (model != null ? " from model " + model
                : "") + ")";
    }

    private static void printHeader(PrintStream out, TrainingJob job, TrainTestSplit split) {
        TrainConfig config = job.config();
        Dataset train = split.train();
        out.printf(Locale.ROOT, "model    %s, %,d parameters%n", job.plan().modelName(), job.plan().parameterCount());
        out.printf(Locale.ROOT, "data     %s: %,d training and %,d test samples of %s, %d classes%n",
                describe(config.data()), train.count(), split.test().count(), Arrays.toString(train.sampleShape()),
                train.classes());
        out.printf(Locale.ROOT, "batch    %d, %s, seed %d, %d %s%n", config.batch(),
                config.shuffle() ? "shuffled" : "in file order", config.seed(), config.epochs(),
                config.epochs() == 1 ? "epoch" : "epochs");
        out.flush();
    }

    static String describe(DataSource source) {
        if (source instanceof DataSource.IdxFolder folder) {
            return folder.directory();
        }
        return "bundled Fashion-MNIST sample";
    }

    private static void printSummary(PrintStream out, TrainingReport result) {
        if (result.epochs().isEmpty()) {
            return;
        }
        double seconds = result.epochs().stream().mapToDouble(EpochResult::seconds).sum();
        EpochResult last = result.epochs().get(result.epochs().size() - 1);
        out.printf(Locale.ROOT, "trained %s for %d %s in %.1f s on %s; final test accuracy %.2f%%%n", result.model(),
                result.epochs().size(), result.epochs().size() == 1 ? "epoch" : "epochs", seconds, result.device(),
                100 * last.testAccuracy());
    }
}
