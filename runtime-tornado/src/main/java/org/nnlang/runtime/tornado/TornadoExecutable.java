package org.nnlang.runtime.tornado;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.backend.Executable;
import org.nnlang.runtime.kernels.BatchNorm;
import org.nnlang.runtime.kernels.Dropout;
import org.nnlang.runtime.plan.BufferRole;
import org.nnlang.runtime.plan.BufferSpec;
import org.nnlang.runtime.plan.ExecutionPlan;
import org.nnlang.runtime.plan.Initialiser;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * A plan on a TornadoVM device. It becomes four task graphs in one TornadoVM execution plan:
 * <ol>
 *   <li>{@code upload}: sends parameters, optimizer state and model state (the <em>persistent</em> buffers) to the
 *       device and keeps them there. It runs once at load, and again only when the host changed them (a
 *       checkpoint loaded: {@link #syncToDevice}).</li>
 *   <li>{@code train}: the plan's training schedule, one task per kernel. Each run moves only the batch in (inputs,
 *       labels, the learning rate, dropout masks, the batch size) and the one-float loss out; the persistent
 *       buffers are consumed from {@code upload}'s device memory and updated there.</li>
 *   <li>{@code infer}: the inference schedule on the same device memory; only the output comes back.</li>
 *   <li>{@code download}: brings the persistent buffers back, for checkpoints and inspection
 *       ({@link #syncToHost}).</li>
 * </ol>
 * Dropout masks are drawn on the host from the same seeded streams as on the CPU and sent with the batch, so a
 * TornadoVM run drops exactly the units a CPU run with the same seed drops.
 */
final class TornadoExecutable implements Executable {
    private static final int UPLOAD = 0;
    private static final int TRAIN = 1;
    private static final int INFER = 2;
    private static final int DOWNLOAD = 3;
    /** A limit fixed in TornadoVM 5.2 (TornadoExecutionContext.MAX_TASKS). */
    private static final int MAX_TASKS_PER_GRAPH = 256;

    private final ExecutionPlan plan;
    private final int capacity;
    private final TornadoDevices.Found device;
    private final DeviceArrays arrays;
    private final int[] persistent;
    private final int[] everyStep;
    private final List<MaskDraw> masks = new ArrayList<>();
    private final Map<String, StepSpec> tasks = new LinkedHashMap<>();
    private final TornadoExecutionPlan execution;

    /** A batchnorm step in training: its batch needs more than one value per channel (checked on the host). */
    private record VarianceCheck(int spatial, String origin) {
    }

    private final List<VarianceCheck> varianceChecks = new ArrayList<>();

    /** A dropout step's mask, drawn on the host before each training step. */
    private record MaskDraw(Rng rng, int mask, float p) {
    }

    TornadoExecutable(ExecutionPlan plan, int capacity, Rng rng, TornadoDevices.Found device) {
        this.plan = plan;
        this.capacity = capacity;
        this.device = device;
        this.arrays = new DeviceArrays(plan, capacity);
        Initialiser.fillAll(plan, arrays::host, rng);
        this.persistent = idsWithRole(BufferRole.PARAMETER, BufferRole.OPTIMIZER_STATE, BufferRole.MODEL_STATE);
        List<Integer> sent = new ArrayList<>();
        for (int id : idsWithRole(BufferRole.INPUT, BufferRole.TARGET, BufferRole.HYPERPARAMETER)) {
            sent.add(id);
        }
        // The CPU backend splits one stream per dropout step in training-schedule order; so does this one.
        for (StepSpec step : plan.trainingSteps()) {
            if (step.kernel().equals("batchnorm_train")) {
                int[] dims = plan.buffer(step.input(0)).dims();
                varianceChecks.add(new VarianceCheck(arrays.sampleSize(step.input(0)) / dims[0], step.origin()));
            }
            if (step.kernel().equals("dropout")) {
                masks.add(new MaskDraw(rng.split(), step.output(1), (float) step.doubleAttribute("p")));
                sent.add(step.output(1));
            }
        }
        this.everyStep = sent.stream().mapToInt(Integer::intValue).toArray();

        GridScheduler grids = new GridScheduler();
        TaskGraph upload = persistentGraph("upload");
        TaskGraph train = scheduleGraph("train", plan.trainingSteps(), grids);
        if (plan.loss() >= 0) {
            train.transferToHost(DataTransferMode.EVERY_EXECUTION, arrays.device(plan.loss()));
        }
        TaskGraph infer = scheduleGraph("infer", plan.inferenceSteps(), grids);
        infer.transferToHost(DataTransferMode.EVERY_EXECUTION, arrays.device(plan.output()));
        TaskGraph download = new TaskGraph("download").consumeFromDevice("upload", persistentArrays());
        addTouchTasks(download);
        download.transferToHost(DataTransferMode.EVERY_EXECUTION, persistentArrays());

        execution = new TornadoExecutionPlan(upload.snapshot(), train.snapshot(), infer.snapshot(),
                download.snapshot());
        execution.withDevice(device.device()).withGridScheduler(grids);
        syncToDevice();
    }

    /** The graph that moves the persistent buffers to the device and leaves them there. */
    private TaskGraph persistentGraph(String name) {
        TaskGraph graph = new TaskGraph(name).transferToDevice(DataTransferMode.EVERY_EXECUTION, persistentArrays());
        addTouchTasks(graph);
        return graph.persistOnDevice(persistentArrays());
    }

    /**
     * TornadoVM moves data only around tasks, so the upload and download graphs get one empty task per buffer (a
     * graph without tasks would move nothing).
     */
    private void addTouchTasks(TaskGraph graph) {
        checkTaskCount(graph.getTaskGraphName(), persistent.length);
        for (int id : persistent) {
            graph.task("touch" + id, DeviceKernels::touch, arrays.device(id));
        }
    }

    /** One task per step of {@code steps}, reading the persistent buffers from {@code upload}'s device memory. */
    private TaskGraph scheduleGraph(String name, List<StepSpec> steps, GridScheduler grids) {
        TaskGraph graph = new TaskGraph(name);
        if (persistent.length > 0) {
            graph.consumeFromDevice("upload", persistentArrays());
        }
        Object[] sent = new Object[everyStep.length + 1];
        for (int i = 0; i < everyStep.length; i++) {
            sent[i] = arrays.device(everyStep[i]);
        }
        sent[everyStep.length] = arrays.batch;
        graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, sent);
        KernelLowering lowering = new KernelLowering(graph, name, grids, arrays);
        int count = 0;
        for (int i = 0; i < steps.size(); i++) {
            for (String task : lowering.lower(i, steps.get(i))) {
                tasks.put(name + "." + task, steps.get(i));
                count++;
            }
        }
        checkTaskCount(name, count);
        return graph;
    }

    private void checkTaskCount(String graph, int count) {
        if (count > MAX_TASKS_PER_GRAPH) {
            throw new NnException("the " + graph + " graph of model '" + plan.modelName() + "' needs " + count
                    + " TornadoVM tasks, but TornadoVM runs at most " + MAX_TASKS_PER_GRAPH + " in one task graph; "
                    + "train this model with device = cpu");
        }
    }

    private Object[] persistentArrays() {
        Object[] objects = new Object[persistent.length];
        for (int i = 0; i < persistent.length; i++) {
            objects[i] = arrays.device(persistent[i]);
        }
        return objects;
    }

    private int[] idsWithRole(BufferRole... roles) {
        List<BufferRole> wanted = List.of(roles);
        return plan.buffers().stream().filter(b -> wanted.contains(b.role())).mapToInt(BufferSpec::id).toArray();
    }

    @Override
    public ExecutionPlan plan() {
        return plan;
    }

    @Override
    public int batchCapacity() {
        return capacity;
    }

    @Override
    public float[] buffer(int id) {
        return arrays.host(id);
    }

    @Override
    public String deviceDescription() {
        return device.describe();
    }

    @Override
    public float trainStep(int batch) {
        if (!plan.canTrain()) {
            throw new IllegalStateException("plan '" + plan.modelName() + "' has no training steps");
        }
        checkBatch(batch);
        // Device code cannot throw; what the CPU's kernel refuses is refused here, before anything runs.
        for (VarianceCheck check : varianceChecks) {
            BatchNorm.requireVariance(batch, check.spatial(), check.origin());
        }
        for (MaskDraw draw : masks) {
            Dropout.drawMask(draw.rng(), arrays.host(draw.mask()), draw.p(), 0,
                    batch * arrays.sampleSize(draw.mask()));
        }
        sendBatch(batch);
        run(TRAIN);
        arrays.toHost(plan.loss(), 1);
        return arrays.host(plan.loss())[0];
    }

    @Override
    public void infer(int batch) {
        checkBatch(batch);
        sendBatch(batch);
        run(INFER);
        arrays.toHost(plan.output(), batch * arrays.sampleSize(plan.output()));
    }

    private void sendBatch(int batch) {
        arrays.batch.set(0, batch);
        for (int id : everyStep) {
            BufferSpec spec = arrays.spec(id);
            arrays.toDevice(id, spec.batched() ? batch * spec.sampleSize() : spec.sampleSize());
        }
    }

    @Override
    public void syncToHost() {
        run(DOWNLOAD);
        for (int id : persistent) {
            arrays.toHost(id, arrays.capacity(id));
        }
    }

    @Override
    public void syncToDevice() {
        for (int id : persistent) {
            arrays.toDevice(id, arrays.capacity(id));
        }
        run(UPLOAD);
    }

    /** Runs one graph; a kernel TornadoVM cannot compile or run is reported with the step it came from. */
    private void run(int graph) {
        try {
            execution.withGraph(graph).execute();
        } catch (RuntimeException e) {
            throw KernelFailure.explain(e, tasks, device.describe());
        } catch (Error e) {
            // TornadoVM reports code its compiler cannot handle as TornadoInternalError, a java.lang.Error.
            if (!e.getClass().getName().startsWith("uk.ac.manchester.tornado")) {
                throw e;
            }
            throw KernelFailure.explain(e, tasks, device.describe());
        }
    }

    private void checkBatch(int batch) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + capacity);
        }
    }

    @Override
    public void close() {
        try {
            execution.freeDeviceMemory();
            execution.close();
        } catch (Exception e) {
            throw new NnException("releasing TornadoVM device memory on " + device.describe() + " failed: " + e);
        }
    }

    /** The FloatArray behind buffer {@code id}, for the conformance tests. */
    FloatArray deviceArray(int id) {
        return arrays.device(id);
    }
}
