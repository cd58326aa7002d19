package org.nnlang.runtime.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.data.Batcher;
import org.nnlang.runtime.data.Dataset;
import org.nnlang.runtime.data.TrainTestSplit;
import org.nnlang.runtime.kernels.Losses;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * Runs a training job: for each epoch, shuffle, one training step per batch, then measure accuracy on the test set.
 *
 * <p>Randomness comes from one seed, split into independent streams for parameter initialisation and for shuffling,
 * so the same {@code .nn} file and seed give the same weights, the same batches and the same losses on every run.
 */
public final class Trainer {
    /** The plan buffer holding the learning rate, which schedules change between steps. */
    public static final String LEARNING_RATE = "learning_rate";

    private Trainer() {
    }

    public static TrainingReport train(TrainingJob job, TrainTestSplit data, TrainingListener listener) {
        return train(job, data, listener, Backend.forDevice(job.config().device()));
    }

    /** As {@link #train(TrainingJob, TrainTestSplit, TrainingListener)} on a backend the caller chose. */
    public static TrainingReport train(TrainingJob job, TrainTestSplit data, TrainingListener listener,
                                       Backend backend) {
        ExecutionPlan plan = job.plan();
        TrainConfig config = job.config();
        checkFits(plan, data.train());
        checkFits(plan, data.test());
        Rng root = new Rng(config.seed());
        Rng initRng = root.split();
        Rng shuffleRng = root.split();
        List<EpochResult> results = new ArrayList<>();
        String device;
        try (Executable executable = backend.load(plan, config.batch(), initRng)) {
            device = executable.deviceDescription();
            listener.loaded(executable);
            Batcher batches = new Batcher(data.train(), config.batch(), config.shuffle(), shuffleRng);
            float[] input = executable.buffer(plan.input());
            float[] target = executable.buffer(plan.target());
            float[] learningRate = plan.bufferNamed(LEARNING_RATE).map(b -> executable.buffer(b.id())).orElse(null);
            LearningRateSchedule schedule = config.schedule();
            long totalSteps = (long) config.epochs() * batches.batchCount();
            long step = 0;
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                listener.epochStarted(epoch, config.epochs(), batches.batchCount());
                batches.startEpoch();
                double lossSum = 0;
                long start = System.nanoTime();
                for (int b = 0; b < batches.batchCount(); b++) {
                    int n = batches.fill(b, input, target);
                    if (learningRate != null && !schedule.isConstant()) {
                        learningRate[0] = (float) schedule.at(epoch - 1, step, totalSteps);
                    }
                    step++;
                    float loss = executable.trainStep(n);
                    lossSum += loss;
                    listener.batchFinished(epoch, b + 1, loss);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double accuracy = accuracy(executable, data.test());
                EpochResult result = new EpochResult(epoch, lossSum / batches.batchCount(), accuracy,
                        batches.sampleCount() / seconds, seconds);
                results.add(result);
                listener.epochFinished(result);
            }
            executable.syncToHost();
            listener.finished(executable);
        }
        return new TrainingReport(plan.modelName(), device, results);
    }

    /** The fraction of {@code data} that the loaded model classifies correctly (argmax of its output). */
    public static double accuracy(Executable executable, Dataset data) {
        ExecutionPlan plan = executable.plan();
        Batcher batches = new Batcher(data, executable.batchCapacity(), false, null);
        float[] input = executable.buffer(plan.input());
        float[] target = executable.buffer(plan.target());
        float[] output = executable.buffer(plan.output());
        int classes = plan.buffer(plan.output()).sampleSize();
        long correct = 0;
        for (int b = 0; b < batches.batchCount(); b++) {
            int n = batches.fill(b, input, target);
            executable.infer(n);
            correct += Losses.countCorrect(output, target, n, classes);
        }
        return (double) correct / data.count();
    }

    /** Data that does not fit the model is the user's to fix, so say exactly what differs. */
    private static void checkFits(ExecutionPlan plan, Dataset data) {
        BufferSpec input = plan.buffer(plan.input());
        if (!Arrays.equals(input.dims(), data.sampleShape())) {
            throw new NnException("model '" + plan.modelName() + "' takes samples of shape "
                    + Arrays.toString(input.dims()) + " but " + data.source() + " has samples of shape "
                    + Arrays.toString(data.sampleShape()) + "; change the model's input line to match");
        }
        int outputs = plan.buffer(plan.output()).sampleSize();
        if (outputs < data.classes()) {
            throw new NnException("model '" + plan.modelName() + "' outputs " + outputs + " scores per sample but "
                    + data.source() + " has " + data.classes() + " classes; its last layer needs at least "
                    + data.classes() + " outputs");
        }
    }
}
