package org.nnlang.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Keeps C2 from inlining {@link Gemm}'s micro-kernels into their callers, through a compiler directive added to the
 * running JVM (what {@code jcmd PID Compiler.directives_add FILE} does).
 *
 * <p>Why: inlined into {@code Gemm.multiply}, a micro-kernel's loop is compiled together with the multiply's own
 * nested loops, and whether C2 then vectorizes it depends on the order in which methods got hot. Measured on JDK 17
 * with the plain CNN's product shapes, whole runs came out either at ≈ 50–60 GFLOP/s per core or, as often, at ≈ 13
 * (scalar), decided at start-up. Compiled on its own (and with its bounds checked before the loop, see the kernels),
 * each kernel vectorizes every time. A call per kernel invocation costs nothing next to a loop over hundreds of
 * columns.
 *
 * <p>Best effort: where the diagnostic command is missing (another JVM) nothing happens but the old behaviour.
 */
final class JitDirectives {
    private static final String DIRECTIVES = "[{ match: \"*.*\", inline: ["
            + "\"-org/nnlang/runtime/kernels/Gemm.kernel*\", \"-org/nnlang/runtime/kernels/Gemm.narrow\", "
            + "\"-org/nnlang/runtime/kernels/Gemm.transpose8\"] }]";

    private JitDirectives() {
    }

    static void install() {
        try {
            Path file = Files.createTempFile("nnlang-jit", ".json");
            try {
                Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                        new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            // Not HotSpot, no java.management, or no temporary directory: run without the hint.
        }
    }
}
