package org.nnlang.runtime.backend.cpu;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Whether the running JVM compiles the CPU kernels to vector code, so that a slow run says why.
 *
 * <p>C2 on Java 17 vectorizes the kernels' loops only with <em>loop strip mining</em> on, and the JVM switches it on
 * only with its low-pause collectors (G1, the default; ZGC; Shenandoah). The serial and parallel collectors switch it
 * off, and the JVM picks the serial one by itself when it sees a single CPU (a small container, {@code taskset -c 0}):
 * there the seed MLP's training step took 1.13 instead of 0.44 ms (docs/performance.md). The {@code nn} launcher
 * passes {@code -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000}, which restores it under any collector;
 * a plain {@code java -jar nn.jar}, or a program embedding nnlang, may not.
 */
public final class JvmFlags {
    /** The JVM options that keep the kernels vectorized under any collector. */
    public static final String FAST_KERNEL_OPTIONS = "-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000";

    private JvmFlags() {
    }

    /** A warning to show before training on the CPU, or empty when this JVM vectorizes the kernels (or cannot tell). */
    public static Optional<String> slowKernelsWarning() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return slowKernelsWarning(hotspot.getVMOption("UseCountedLoopSafepoints").getValue(),
                    hotspot.getVMOption("LoopStripMiningIter").getValue());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty(); // not HotSpot, or no java.management: nothing to say
        }
    }

    /** The decision, from the two flags' values as HotSpot prints them ({@code "true"}, {@code "1000"}). */
    static Optional<String> slowKernelsWarning(String useCountedLoopSafepoints, String loopStripMiningIter) {
        boolean stripMining = Boolean.parseBoolean(useCountedLoopSafepoints)
                && parseLong(loopStripMiningIter) > 1;
        if (stripMining) {
            return Optional.empty();
        }
        return Optional.of("this Java runs without loop strip mining (UseCountedLoopSafepoints="
                + useCountedLoopSafepoints + ", LoopStripMiningIter=" + loopStripMiningIter + "; the serial and "
                + "parallel collectors switch it off, and Java picks the serial one on a single CPU), so its JIT leaves "
                + "the CPU kernels unvectorized and training runs 2-3x slower; start Java with "
                + FAST_KERNEL_OPTIONS + " (the nn launcher does)");
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
