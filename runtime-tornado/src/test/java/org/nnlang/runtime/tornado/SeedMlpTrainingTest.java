package org.nnlang.runtime.tornado;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nnlang.compiler.Compiler;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.data.Datasets;
import org.nnlang.runtime.data.TrainTestSplit;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.Trainer;
import org.nnlang.runtime.train.TrainingJob;
import org.nnlang.runtime.train.TrainingListener;
import org.nnlang.runtime.train.TrainingReport;

/**
 * The seed network of the README trained for two epochs on the bundled data, on the CPU and through TornadoVM: the
 * same seed must give the same losses and accuracies to within float rounding, and the report must name the device
 * TornadoVM ran on.
 */
@Tag("tornado")
class SeedMlpTrainingTest {
    @Test
    void trainsLikeTheCpu() throws IOException {
        Path file = Path.of("..", "examples", "seed-mlp.nn");
        TrainingJob job = Compiler.compile(file).trainingJob(null).orElseThrow();
        job = new TrainingJob(job.plan(), job.config().withEpochs(2));
        TrainTestSplit data = Datasets.loadBundledFashionMnist();

        TrainingReport cpu = Trainer.train(job, data, new TrainingListener() { }, new CpuBackend(2));
        Backend tornado = Backend.choose("gpu").backend();
        TrainingReport device = Trainer.train(job, data, new TrainingListener() { }, tornado);

        assertThat(device.device()).startsWith("OpenCL").contains("TornadoVM");
        for (int e = 0; e < 2; e++) {
            EpochResult a = cpu.epochs().get(e);
            EpochResult b = device.epochs().get(e);
            assertThat(b.trainLoss()).as("train loss of epoch %d", e + 1).isCloseTo(a.trainLoss(), within(1e-3));
            assertThat(b.testAccuracy()).as("test accuracy of epoch %d", e + 1)
                    .isCloseTo(a.testAccuracy(), within(0.005));
        }
    }
}
