package org.nnlang.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nnlang.runtime.backend.Backend;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.backend.cpu.CpuBackend;
import org.nnlang.runtime.kernels.Gemm;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.PlanCost;
import org.nnlang.runtime.tensor.Rng;
import org.nnlang.runtime.train.TrainingJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nn bench FILE}: how fast the CPU backend runs one model's training step. It compiles the file's train block,
 * loads the plan with random inputs and labels (no dataset is read), runs warm-up steps so the JIT has compiled the
 * kernels, then times each of the measured steps on its own.
 *
 * <p>Figures: the median and the 10th/90th percentile of the time per step; samples/s over all timed steps
 * ({@code batch · steps / total time}); GFLOP/s from the median step and the plan's matrix-product multiply-adds
 * ({@link PlanCost}: 2 flops per MAC, element-wise work not counted); and the peak heap in use (the sum of the heap
 * pools' peaks since the plan was loaded, an upper bound).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Time the training step of a model with random data (on the CPU, or --device): time per step, samples/s, "
                + "GFLOP/s and peak heap."},
        footer = {"", "Examples:",
                "  nn bench examples/seed-mlp.nn",
                "  nn bench examples/seed-mlp.nn --batch 512 --threads 1",
                "  nn bench models.nn --model SeparableCnn --steps 50 --json"})
final class BenchCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file holding the model and its train block")
    Path file;

    @Option(names = "--model", paramLabel = "NAME",
            description = "which model's train block to use; needed when the file has several")
    String model;

    @Option(names = "--batch", paramLabel = "B", description = "samples per step (default: the train block's batch)")
    Integer batch;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "200",
            description = "timed training steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "50",
            description = "untimed steps first, so the JIT compiles the kernels (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", paramLabel = "T",
            description = "cores to use (default: every available processor)")
    Integer threads;

    @Option(names = "--device", paramLabel = "cpu|gpu|fpga|auto",
            description = "where to run (default: cpu); gpu and fpga run through TornadoVM (docs/gpu.md)")
    String device;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    BenchCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** What one benchmark run measured. Times are in seconds. */
    record Result(String model, String device, String kernels, int batch, int threads, int warmup, int steps,
                  double medianSeconds, double p10Seconds, double p90Seconds, double samplesPerSecond, long macsPerStep,
                  double gflopsPerSecond, long peakHeapBytes, long parameters, float lastLoss) {
    }

    @Override
    public Integer call() {
        if (batch != null && batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + batch);
        }
        if (steps < 1) {
            throw new ParameterException(spec.commandLine(), "--steps must be at least 1, got " + steps);
        }
        if (warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must be 0 or more, got " + warmup);
        }
        if (threads != null && threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        Sources.requireFile(spec.commandLine(), file);
        PrintStream err = terminal.err();

        Optional<TrainingJob> found = Sources.trainingJob(file, model, err);
        if (found.isEmpty()) {
            return Main.USER_ERROR;
        }
        TrainingJob job = found.get();
        int samples = batch != null ? batch : job.config().batch();
        int cores = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        String where = device == null ? "cpu" : Devices.requireKnown(spec.commandLine(), device);
        Backend backend = where.equals("cpu") ? new CpuBackend(cores) : Backend.choose(where).backend();
        Devices.warnIfSlowKernels(err, backend);
        Result result = run(job.plan(), backend, samples, cores, warmup, steps, job.config().seed());
        PrintStream out = terminal.out();
        out.print(json ? toJson(result) : toText(result));
        out.flush();
        return Main.OK;
    }

    /** Loads {@code plan} on {@code threads} cores, feeds it random data, and times {@code steps} training steps. */
    static Result run(ExecutionPlan plan, int batch, int threads, int warmup, int steps, long seed) {
        return run(plan, new CpuBackend(threads), batch, threads, warmup, steps, seed);
    }

    /** As above on {@code backend}; {@code threads} is reported, and used only by the CPU backend it was made for. */
    static Result run(ExecutionPlan plan, Backend backend, int batch, int threads, int warmup, int steps, long seed) {
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long[] nanos = new long[steps];
        float loss = Float.NaN;
        String where;
        try (Executable executable = backend.load(plan, batch, new Rng(seed))) {
            where = executable.deviceDescription();
            fillRandom(plan, executable, batch, new Random(seed));
            for (int i = 0; i < warmup; i++) {
                executable.trainStep(batch);
            }
            for (int i = 0; i < steps; i++) {
                long start = System.nanoTime();
                loss = executable.trainStep(batch);
                nanos[i] = System.nanoTime() - start;
            }
        }
        long peakHeap = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();

        long total = Arrays.stream(nanos).sum();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 0.5) / 1e9;
        long macs = PlanCost.trainingStepMacs(plan, batch);
        // Which matrix-product kernels the CPU ran (the Vector API's or the auto-vectorized loops), as timings differ
        // twofold between them; none for an accelerator.
        String kernels = backend instanceof CpuBackend ? Gemm.kernels() : null;
        return new Result(plan.modelName(), where, kernels, batch, threads, warmup, steps, median,
                percentile(sorted, 0.1) / 1e9, percentile(sorted, 0.9) / 1e9, (double) batch * steps / (total / 1e9),
                macs, 2.0 * macs / median / 1e9, peakHeap, plan.parameterCount(), loss);
    }

    /** Inputs uniform in [0, 1) like pixel values; labels valid class indices (or uniform targets for regression). */
    private static void fillRandom(ExecutionPlan plan, Executable executable, int batch, Random random) {
        float[] input = executable.buffer(plan.input());
        int inputSize = plan.buffer(plan.input()).sampleSize();
        for (int i = 0; i < batch * inputSize; i++) {
            input[i] = random.nextFloat();
        }
        if (plan.target() < 0) {
            return;
        }
        float[] target = executable.buffer(plan.target());
        int targetSize = plan.buffer(plan.target()).sampleSize();
        int classes = plan.buffer(plan.output()).sampleSize();
        for (int i = 0; i < batch * targetSize; i++) {
            target[i] = targetSize == 1 ? random.nextInt(classes) : random.nextFloat();
        }
    }

    /** The nearest-rank percentile {@code q} of sorted values. */
    private static double percentile(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static String toText(Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model    %s, %,d parameters, batch %d, %s%n", r.model(),
                r.parameters(), r.batch(), r.device()));
        if (r.kernels() != null) {
            s.append(String.format(Locale.ROOT, "kernels  %s%n", r.kernels()));
        }
        s.append(String.format(Locale.ROOT, "steps    %d timed, after %d warm-up%n", r.steps(), r.warmup()));
        s.append(String.format(Locale.ROOT, "time     %.3f ms per step (median; p10 %.3f, p90 %.3f)%n",
                r.medianSeconds() * 1e3, r.p10Seconds() * 1e3, r.p90Seconds() * 1e3));
        s.append(String.format(Locale.ROOT, "speed    %,.0f samples/s, %.1f GFLOP/s (%,d multiply-adds per step "
                + "in matrix products)%n", r.samplesPerSecond(), r.gflopsPerSecond(), r.macsPerStep()));
        s.append(String.format(Locale.ROOT, "memory   %.1f MiB peak heap%n", r.peakHeapBytes() / 1048576.0));
        return s.toString();
    }

    static String toJson(Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("model", r.model());
        o.addProperty("device", r.device());
        if (r.kernels() != null) {
            o.addProperty("kernels", r.kernels());
        }
        o.addProperty("batch", r.batch());
        o.addProperty("threads", r.threads());
        o.addProperty("warmup_steps", r.warmup());
        o.addProperty("steps", r.steps());
        o.addProperty("median_ms", r.medianSeconds() * 1e3);
        o.addProperty("p10_ms", r.p10Seconds() * 1e3);
        o.addProperty("p90_ms", r.p90Seconds() * 1e3);
        o.addProperty("samples_per_sec", r.samplesPerSecond());
        o.addProperty("macs_per_step", r.macsPerStep());
        o.addProperty("gflops", r.gflopsPerSecond());
        o.addProperty("peak_heap_bytes", r.peakHeapBytes());
        o.addProperty("parameters", r.parameters());
        if (Float.isFinite(r.lastLoss())) {
            o.addProperty("last_loss", r.lastLoss());
        }
        return new GsonBuilder().create().toJson(o) + "\n";
    }
}
