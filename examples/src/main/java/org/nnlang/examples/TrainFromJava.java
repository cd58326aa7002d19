package org.nnlang.examples;

import java.nio.file.Path;
import org.nnlang.compiler.Compilation;
import org.nnlang.compiler.Compiler;
import org.nnlang.compiler.source.DiagnosticPrinter;
import org.nnlang.runtime.data.Datasets;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.Trainer;
import org.nnlang.runtime.train.TrainingJob;
import org.nnlang.runtime.train.TrainingListener;
import org.nnlang.runtime.train.TrainingReport;

/**
 * {@code nn train} in a few lines of Java: compile a {@code .nn} file, take its training job, train it.
 * <pre>
 * java -cp ... org.nnlang.examples.TrainFromJava examples/seed-mlp.nn
 * </pre>
 */
public final class TrainFromJava {
    private TrainFromJava() {
    }

    public static void main(String[] args) throws Exception {
        Compilation compilation = Compiler.compile(Path.of(args.length > 0 ? args[0] : "examples/seed-mlp.nn"));
        compilation.diagnostics().all().forEach(d -> System.err.print(DiagnosticPrinter.format(d)));
        TrainingJob job = compilation.trainingJob(null).orElseThrow(() -> new IllegalStateException("no job"));

        TrainingReport report = Trainer.train(job, Datasets.load(job.config().data()), new TrainingListener() {
            @Override
            public void epochFinished(EpochResult r) {
                System.out.printf("epoch %d: loss %.4f, test accuracy %.2f%%, %.0f samples/s%n",
                        r.epoch(), r.trainLoss(), 100 * r.testAccuracy(), r.samplesPerSecond());
            }
        });
        System.out.println("trained " + report.model() + " on " + report.device());
    }
}
