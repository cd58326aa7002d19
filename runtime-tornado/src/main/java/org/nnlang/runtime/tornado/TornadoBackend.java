package org.nnlang.runtime.tornado;

import java.util.List;
import java.util.Optional;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/**
 * The TornadoVM backend: {@code device = gpu} (or {@code fpga}, or {@code auto} when TornadoVM sees a device) runs
 * the compiled plan as TornadoVM task graphs on the device TornadoVM offers. Found through {@link
 * java.util.ServiceLoader}; the {@code ./nn} launcher puts it on the class path, with TornadoVM's JVM flags, when
 * {@code TORNADOVM_HOME} is set.
 *
 * <p>This class touches no TornadoVM type itself, so that loading it without TornadoVM on the module path (a jar
 * copied by hand, Java started without TornadoVM's argfile) gives {@link #isAvailable} false with a reason, not a
 * {@link NoClassDefFoundError}.
 */
public final class TornadoBackend implements Backend {
    static {
        // Read by TornadoVM once, when its runtime starts, which is after this class is loaded by the ServiceLoader.
        // Never fall back to running a kernel as plain Java when TornadoVM cannot compile it: the run would go on
        // while every report said "GPU" (TornadoVM issue #1067). A failure is an error naming the step instead.
        System.setProperty("tornado.recover.bailout", "False");
        // TornadoVM encodes a task graph into a bytecode buffer of 4 KiB by default, enough for about 20 tasks; a
        // training step has one or two per plan step (a small CNN: ~80).
        if (System.getProperty("tornado.tvm.maxbytecodesize") == null) {
            System.setProperty("tornado.tvm.maxbytecodesize", "262144");
        }
    }

    private final String device;

    /** The constructor {@link java.util.ServiceLoader} uses: the best device TornadoVM sees. */
    public TornadoBackend() {
        this("auto");
    }

    private TornadoBackend(String device) {
        this.device = device;
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public List<String> devices() {
        return List.of("gpu", "fpga");
    }

    @Override
    public Backend selecting(String word) {
        return new TornadoBackend(word);
    }

    @Override
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return TornadoDevices.whyNot(device);
        } catch (LinkageError | RuntimeException e) {
            return Optional.of("TornadoVM did not start (" + e + "); Java must be started with TornadoVM's flags, "
                    + "@$TORNADOVM_HOME/tornado-argfile, as ./nn does when TORNADOVM_HOME is set");
        }
    }

    @Override
    public List<String> describeDevices() {
        return TornadoDevices.describeAll();
    }

    @Override
    public Executable load(ExecutionPlan plan, int batchCapacity, Rng rng) {
        return new TornadoExecutable(plan, batchCapacity, rng, TornadoDevices.choose(device));
    }
}
