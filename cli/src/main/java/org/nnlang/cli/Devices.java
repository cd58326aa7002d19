package org.nnlang.cli;

import java.io.PrintStream;
import org.nnlang.compiler.check.TrainSettings;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.backend.cpu.JvmFlags;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What {@code --device} accepts, and the one line every command prints about where its steps really ran. */
final class Devices {
    private Devices() {
    }

    static String requireKnown(CommandLine commandLine, String device) {
        if (!TrainSettings.DEVICES.contains(device)) {
            throw new ParameterException(commandLine, "--device " + device + ": expected one of "
                    + String.join(", ", TrainSettings.DEVICES));
        }
        return device;
    }

    /**
     * {@code device   OpenCL GPU: NVIDIA H100 (TornadoVM)}: the device the executable runs on, not the one asked
     * for, plus the reason when {@code device = auto} chose.
     */
    static void printDeviceLine(PrintStream out, Backend.Choice choice, Executable executable) {
        out.println("device   " + executable.deviceDescription());
        if (choice.why().startsWith("device = auto")) {
            out.println("         (" + choice.why() + ")");
        }
        out.flush();
    }

    /**
     * One line on {@code err} when the steps will run on the CPU backend in a JVM whose JIT leaves the kernels
     * unvectorized ({@link JvmFlags}): such a run is 2–3× slower and nothing else would say why.
     */
    static void warnIfSlowKernels(PrintStream err, Backend backend) {
        if (backend instanceof CpuBackend) {
            JvmFlags.slowKernelsWarning().ifPresent(warning -> err.println("nn: warning: " + warning));
            err.flush();
        }
    }
}
