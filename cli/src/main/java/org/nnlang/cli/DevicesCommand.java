package org.nnlang.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.nnlang.runtime.backend.Backend;
import picocli.CommandLine.Command;

/**
 * {@code nn devices}: every backend on the class path and the devices each one sees, so a user can tell what
 * {@code device = gpu} or {@code auto} would take before training.
 */
@Command(name = "devices",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"List the devices nnlang can train on: the CPU, and what TornadoVM sees when it is installed "
                + "(docs/gpu.md)."})
final class DevicesCommand implements Callable<Integer> {
    private final Terminal terminal;

    DevicesCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PrintStream out = terminal.out();
        List<Backend> backends = Backend.all();
        for (Backend backend : backends) {
            out.println(backend.name() + " backend (device = " + String.join(" | ", backend.devices()) + ")");
            List<String> devices = backend.isAvailable() ? backend.describeDevices() : List.of();
            for (String device : devices) {
                out.println("  " + device);
            }
            if (devices.isEmpty()) {
                out.println("  no usable device" + backend.unavailableReason().map(r -> ": " + r).orElse(""));
            }
        }
        if (backends.stream().allMatch(b -> b.name().equals("cpu"))) {
            out.println("no accelerator backend: gpu and fpga need TornadoVM; install it, set TORNADOVM_HOME and run "
                    + "./nn again (docs/gpu.md)");
        }
        out.println(Backend.choose("auto").why());
        out.flush();
        return Main.OK;
    }
}
