package org.nnlang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Device choice in a build without the TornadoVM backend (the default build): asking for an accelerator stops with
 * instructions instead of training on the CPU, {@code auto} says it took the CPU, and every report names the device
 * that ran.
 */
class DevicesTest {
    private static final String SEED = Path.of("..", "examples", "seed-mlp.nn").toString();

    @Test
    void gpuWithoutTornadoVmStopsAndSaysHowToGetIt() {
        for (String device : new String[] {"gpu", "fpga"}) {
            NnRun run = NnRun.of("train", SEED, "--device", device, "--epochs", "1");
            assertThat(run.status()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("device = " + device).contains("TornadoVM").contains("TORNADOVM_HOME")
                    .contains("docs/gpu.md").doesNotContain("\tat ");
            assertThat(run.out()).doesNotContain("epoch");
        }
    }

    @Test
    void aTrainBlockAskingForAGpuStopsToo() throws Exception {
        Path file = java.nio.file.Files.createTempFile("gpu", ".nn");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(Path.of(SEED))
                .replace("device    = cpu", "device    = gpu"));
        try {
            NnRun train = NnRun.of("train", file.toString(), "--epochs", "1");
            assertThat(train.status()).as(train.toString()).isEqualTo(2);
            assertThat(train.err()).contains("device = gpu needs the TornadoVM backend");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void autoSaysItTookTheCpuAndReportsNameIt() {
        NnRun run = NnRun.of("train", SEED, "--device", "auto", "--epochs", "1");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("device   cpu \\([0-9]+ threads?\\)")
                .contains("device = auto took the CPU")
                .containsPattern("on cpu \\([0-9]+ threads?\\); final test accuracy");
    }

    @Test
    void unknownDeviceIsAUsageError() {
        NnRun run = NnRun.of("train", SEED, "--device", "tpu");
        assertThat(run.status()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--device tpu: expected one of cpu, gpu, fpga, auto");
    }

    @Test
    void devicesListsTheCpuAndExplainsTheAccelerators() {
        NnRun run = NnRun.of("devices");
        assertThat(run.status()).as(run.toString()).isZero();
        assertThat(run.out()).contains("cpu backend (device = cpu)").contains("no accelerator backend")
                .contains("TORNADOVM_HOME").contains("device = auto took the CPU");
    }
}
