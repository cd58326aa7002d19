package org.nnlang.runtime.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * Something that can run execution plans: the CPU (always there, the reference) or an accelerator. Backends are
 * found with {@link ServiceLoader}, so an accelerator backend is a jar on the class path, not a dependency of the
 * runtime.
 */
public interface Backend {
    /** The name a {@code train} block's {@code device} refers to through {@link #devices()}. */
    String name();

    /** The {@code device = …} words this backend serves, e.g. {@code cpu}, or {@code gpu} and {@code fpga}. */
    List<String> devices();

    /** Whether it can run here and now (the hardware and drivers are present). */
    boolean isAvailable();

    /**
     * Allocates every buffer of {@code plan} for up to {@code batchCapacity} samples, initialises parameters and
     * state with {@code rng}, and binds the kernels.
     */
    Executable load(ExecutionPlan plan, int batchCapacity, Rng rng);

    /** Every backend on the class path. */
    static List<Backend> all() {
        List<Backend> backends = new ArrayList<>();
        ServiceLoader.load(Backend.class).forEach(backends::add);
        return backends;
    }

    /**
     * The backend for a {@code device} setting. {@code auto} takes the first available accelerator, else the CPU.
     * Asking for a device that is absent is an error, never a silent fallback to the CPU: a user who asked for a GPU
     * and got a CPU would draw the wrong conclusions from the timings.
     */
    static Backend forDevice(String device) {
        List<Backend> backends = all();
        if (device.equals("auto")) {
            return backends.stream().filter(b -> !b.name().equals("cpu") && b.isAvailable()).findFirst()
                    .orElseGet(() -> forDevice("cpu"));
        }
        for (Backend backend : backends) {
            if (backend.devices().contains(device)) {
                if (!backend.isAvailable()) {
                    throw new NnException("device = " + device + ": the " + backend.name()
                            + " backend is installed but found no usable " + device + " on this machine");
                }
                return backend;
            }
        }
        throw new NnException("device = " + device + " needs an accelerator backend (TornadoVM), which is not part "
                + "of this build; use device = cpu, or device = auto to take an accelerator only when there is one");
    }
}
