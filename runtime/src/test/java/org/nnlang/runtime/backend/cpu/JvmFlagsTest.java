package org.nnlang.runtime.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

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
    void theTestJvmItselfIsReadWithoutFailing() {
        // Surefire's JVM runs the default collector on this project's machines; the call must at least not throw.
        assertThat(JvmFlags.slowKernelsWarning()).isNotNull();
    }
}
