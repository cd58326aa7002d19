package org.nnlang.runtime.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {
    @Test
    void theDefaultCollectorsSettingsNeedNoWarning() {
        assertThat(JvmFlags.slowKernelsWarning("true", "1000")).isEmpty();
    }

    @Test
    void theSerialOrParallelCollectorsSettingsAreNamedWithTheFix() {
        // What java -XX:+PrintFlagsFinal shows under -XX:+UseSerialGC, -XX:+UseParallelGC or taskset -c 0.
        assertThat(JvmFlags.slowKernelsWarning("false", "0")).hasValueSatisfying(warning -> assertThat(warning)
                .contains("UseCountedLoopSafepoints=false").contains(JvmFlags.FAST_KERNEL_OPTIONS));
        // -XX:+UseCountedLoopSafepoints alone leaves one iteration per strip: no strip mining either.
        assertThat(JvmFlags.slowKernelsWarning("true", "1")).isPresent();
    }

    @Test
    void aJvmIsReadForWhatItReallyRunsWith() throws IOException, InterruptedException {
        // The flags as a real JVM reports them: the serial collector switches strip mining off, the launcher's
        // options switch it back on under the same collector.
        assertThat(warningOfAJvmStartedWith("-XX:+UseSerialGC")).startsWith("this Java runs without loop strip mining");
        assertThat(warningOfAJvmStartedWith("-XX:+UseSerialGC", "-XX:+UseCountedLoopSafepoints",
                "-XX:LoopStripMiningIter=1000")).isEqualTo("none");
    }

    private static String warningOfAJvmStartedWith(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PrintWarning.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    /** Run in a separate JVM: prints the warning that JVM gets, or "none". */
    public static final class PrintWarning {
        public static void main(String[] args) {
            System.out.println(JvmFlags.slowKernelsWarning().orElse("none"));
        }
    }
}
