package org.nnlang.runtime.backend.cpu;

import java.util.List;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.tensor.Rng;

/** The reference backend: plain Java over float arrays, using every core through a {@link WorkerPool}. */
public final class CpuBackend implements Backend {
    private final int threads;

    /** One thread per available processor; the constructor {@link java.util.ServiceLoader} uses. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public List<String> devices() {
        return List.of("cpu");
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public List<String> describeDevices() {
        return List.of("cpu: " + threads + (threads == 1 ? " thread" : " threads") + " on "
                + System.getProperty("os.arch") + ", Java " + Runtime.version().feature()
                + " (device = cpu, the reference backend)");
    }

    @Override
    public Executable load(ExecutionPlan plan, int batchCapacity, Rng rng) {
        return new CpuExecutable(plan, batchCapacity, rng, new WorkerPool(threads));
    }
}
