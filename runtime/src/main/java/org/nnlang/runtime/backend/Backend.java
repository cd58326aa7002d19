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

    /**
     * This backend set up for one {@code device = …} word ({@code auto} included); a backend serving several words,
     * such as TornadoVM's gpu and fpga, picks its device here.
     */
    default Backend selecting(String device) {
        return this;
    }

    /** Every backend on the class path. */
    static List<Backend> all() {
        List<Backend> backends = new ArrayList<>();
        ServiceLoader.load(Backend.class).forEach(backends::add);
        return backends;
    }

    /** A backend picked for a {@code device} setting, and why, in words a report can print. */
    record Choice(Backend backend, String why) {
    }

    /**
     * The backend for a {@code device} setting. {@code auto} takes the first available accelerator, else the CPU.
     * Asking for a device that is absent is an error, never a silent fallback to the CPU: a user who asked for a GPU
     * and got a CPU would draw the wrong conclusions from the timings.
     */
    static Backend forDevice(String device) {
        return choose(device).backend();
    }

    /** As {@link #forDevice}, saying why: {@code auto} explains what it found and what it took. */
    static Choice choose(String device) {
        List<Backend> backends = all();
        if (device.equals("auto")) {
            for (Backend backend : backends) {
                if (!backend.name().equals("cpu") && backend.isAvailable()) {
                    return new Choice(backend.selecting("auto"), "device = auto took the " + backend.name()
                            + " backend, the first accelerator backend that found a usable device");
                }
            }
            List<String> absent = backends.stream().map(Backend::name).filter(name -> !name.equals("cpu")).toList();
            return new Choice(forDevice("cpu"), absent.isEmpty()
                    ? "device = auto took the CPU: this build has no accelerator backend (TornadoVM, see docs/gpu.md)"
                    : "device = auto took the CPU: the " + String.join(", ", absent)
                            + " backend found no usable device");
        }
        for (Backend backend : backends) {
            if (backend.devices().contains(device)) {
                if (!backend.isAvailable()) {
                    throw new NnException("device = " + device + ": the " + backend.name()
                            + " backend is installed but found no usable " + device + " on this machine"
                            + backend.unavailableReason().map(r -> " (" + r + ")").orElse(""));
                }
                return new Choice(backend.selecting(device), "device = " + device);
            }
        }
        throw new NnException("device = " + device + " needs the TornadoVM backend, which this run does not have. "
                + "Install TornadoVM (https://github.com/beehive-lab/TornadoVM, see docs/gpu.md), set TORNADOVM_HOME "
                + "to it and run ./nn again: the launcher then builds nnlang's TornadoVM backend and starts Java with "
                + "TornadoVM's flags. Until then use device = cpu, or device = auto to take an accelerator only "
                + "when there is one");
    }

    /**
     * One line per device this backend can run on, for {@code nn devices}: what it is and which {@code device = …}
     * word selects it. Empty when it sees none.
     */
    List<String> describeDevices();

    /** Why {@link #isAvailable} is false, in words, where the backend can tell (drivers missing, no device found). */
    default java.util.Optional<String> unavailableReason() {
        return java.util.Optional.empty();
    }
}
