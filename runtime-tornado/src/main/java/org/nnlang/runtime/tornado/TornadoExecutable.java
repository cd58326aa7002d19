package org.nnlang.runtime.tornado;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * A plan on a TornadoVM device. It becomes these task graphs in one TornadoVM execution plan:
 * <ol>
 *   <li>{@code upload} (two graphs for a big model): sends parameters, optimizer state and model state (the
 *       <em>persistent</em> buffers) to the device and keeps them there. It runs once at load, and again only when
 *       the host changed them (a checkpoint loaded: {@link #syncToDevice}).</li>
 *   <li>{@code train}: the plan's training schedule, one or two tasks per kernel, cut into {@code train0},
 *       {@code train1}, … when it is long ({@link #addSchedule}). Each run moves only the batch in (inputs, labels,
 *       the learning rate, dropout masks, the batch size) and the one-float loss out; the persistent buffers are
 *       updated in place on the device.</li>
 *   <li>{@code infer}: the inference schedule on the same device memory (cut the same way); only the output comes
 *       back.</li>
 *   <li>{@code download}: brings the persistent buffers back, for checkpoints and inspection
 *       ({@link #syncToHost}).</li>
 * </ol>
 * Dropout masks are drawn on the host from the same seeded streams as on the CPU and sent with the batch, so a
 * TornadoVM run drops exactly the units a CPU run with the same seed drops.
 */
final class TornadoExecutable implements Executable {
    /** A limit fixed in TornadoVM 5.2 (TornadoExecutionContext.MAX_TASKS). */
    private static final int MAX_TASKS_PER_GRAPH = 256;

    private final ExecutionPlan plan;
    private final int capacity;
    private final TornadoDevices.Found device;
    private final DeviceArrays arrays;
    private final int[] persistent;
    private final int[] everyStep;
    /** Buffers every task graph keeps on the device; see {@link #addSchedule}. */
    private final int[] shared;
    private final List<MaskDraw> masks = new ArrayList<>();
    private final Map<String, StepSpec> tasks = new LinkedHashMap<>();
    private final TornadoExecutionPlan execution;
    private final FloatArray[] touchPadding = {new FloatArray(1), new FloatArray(1), new FloatArray(1),
        new FloatArray(1), new FloatArray(1), new FloatArray(1), new FloatArray(1), new FloatArray(1)};
    private final int[] uploadGraphs;
    private final int[] trainGraphs;
    private final int[] inferGraphs;
    private final int downloadGraph;
    private final String[] graphNames;
    /** Tasks per task graph before a schedule is cut (see {@link #addSchedule}); a property lets tests force cuts. */
    private final int tasksPerGraph = Integer.getInteger("nn.tornado.tasksPerGraph", 32);

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

        List<List<Integer>> trainSegments = Segments.cut(plan.trainingSteps(), tasksPerGraph);
        List<List<Integer>> inferSegments = Segments.cut(plan.inferenceSteps(), tasksPerGraph);
        this.shared = Segments.shared(plan, persistent, everyStep, List.of(plan.trainingSteps(),
                plan.inferenceSteps()), List.of(trainSegments, inferSegments));

        GridScheduler grids = new GridScheduler();
        List<TaskGraph> graphs = new ArrayList<>();
        uploadGraphs = addUploadGraphs(graphs);
        trainGraphs = addSchedule(graphs, "train", plan.trainingSteps(), trainSegments, plan.loss(), grids);
        inferGraphs = addSchedule(graphs, "infer", plan.inferenceSteps(), inferSegments, plan.output(), grids);
        TaskGraph download = new TaskGraph("download").consumeFromDevice(sharedArrays());
        addTouchTasks(download, persistent);
        download.transferToHost(DataTransferMode.EVERY_EXECUTION, persistentArrays());
        downloadGraph = graphs.size();
        graphs.add(download);

        graphNames = graphs.stream().map(TaskGraph::getTaskGraphName).toArray(String[]::new);
        execution = new TornadoExecutionPlan(graphs.stream().map(TaskGraph::snapshot)
                .toArray(uk.ac.manchester.tornado.api.ImmutableTaskGraph[]::new));
        execution.withDevice(device.device()).withGridScheduler(grids);
        syncToDevice();
    }

    /**
     * The graphs that allocate every shared buffer on the device (see {@link #addSchedule}) and fill the persistent
     * ones from the host: one for the persistent buffers, then, if there are any, one that also allocates the
     * buffers that segments hand on (two smaller graphs, because a TornadoVM 5.2 graph holds at most 1,024 nodes).
     */
    private int[] addUploadGraphs(List<TaskGraph> graphs) {
        Set<Integer> persistentIds = new HashSet<>();
        for (int id : persistent) {
            persistentIds.add(id);
        }
        int[] handedOn = Arrays.stream(shared).filter(id -> !persistentIds.contains(id)).toArray();
        TaskGraph first = new TaskGraph("upload").transferToDevice(DataTransferMode.EVERY_EXECUTION,
                persistentArrays());
        addTouchTasks(first, persistent);
        first.persistOnDevice(persistentArrays());
        graphs.add(first);
        if (handedOn.length == 0) {
            return new int[] {0};
        }
        TaskGraph second = new TaskGraph("uploadShared").consumeFromDevice(persistentArrays())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, deviceArrays(handedOn));
        addTouchTasks(second, handedOn);
        second.persistOnDevice(sharedArrays());
        graphs.add(second);
        return new int[] {0, 1};
    }

    /**
     * TornadoVM moves data only around tasks, so the upload and download graphs get tasks that touch their buffers,
     * eight per task ({@link DeviceKernels#touch8}); a graph without tasks would move nothing.
     */
    private void addTouchTasks(TaskGraph graph, int[] ids) {
        FloatArray[] group = new FloatArray[8];
        for (int first = 0; first < ids.length; first += group.length) {
            for (int i = 0; i < group.length; i++) {
                // A short last group is padded with arrays of its own: the same array twice in one task sends
                // TornadoVM 5.2's graph scheduler into an endless loop.
                group[i] = first + i < ids.length ? arrays.device(ids[first + i]) : touchPadding[i];
            }
            graph.task("touch" + first, DeviceKernels::touch8, group[0], group[1], group[2], group[3], group[4],
                    group[5], group[6], group[7]);
        }
    }

    /**
     * Adds the task graphs of one schedule to {@code graphs} and returns their indices. TornadoVM encodes a task
     * graph into a fixed 8 KiB buffer (and at most 256 tasks), too small for the training step of a ResNet, so a long
     * schedule runs as several segments of at most {@link #tasksPerGraph} tasks, one after the other.
     *
     * <p>How buffers stay on the device between graphs, given how TornadoVM 5.2 shares them: a graph that
     * {@code consumeFromDevice}s an object takes its device memory from <em>the graph that ran just before it</em>,
     * whichever that was. So every graph consumes, and keeps ({@code persistOnDevice}), the same set of
     * {@link #shared} buffers — the persistent ones and those a segment hands to a later one — which {@code upload}
     * allocated once. The batch (inputs, labels, learning rate, masks, batch size) is sent to each segment that reads
     * it, and {@code result} (the loss, or the output) comes back from the last segment that touches it.
     */
    private int[] addSchedule(List<TaskGraph> graphs, String name, List<StepSpec> steps,
                              List<List<Integer>> segments, int result, GridScheduler grids) {
        Set<Integer> perStep = new HashSet<>();
        for (int id : everyStep) {
            perStep.add(id);
        }
        int lastUse = -1;
        for (int s = 0; s < segments.size(); s++) {
            for (int index : segments.get(s)) {
                for (int id : Segments.touched(steps.get(index))) {
                    if (id == result) {
                        lastUse = s;
                    }
                }
            }
        }
        int[] indices = new int[segments.size()];
        for (int s = 0; s < segments.size(); s++) {
            String graphName = segments.size() == 1 ? name : name + s;
            TaskGraph graph = new TaskGraph(graphName);
            if (shared.length > 0) {
                graph.consumeFromDevice(sharedArrays());
            }
            Set<Integer> sent = new TreeSet<>();
            for (int index : segments.get(s)) {
                for (int id : Segments.touched(steps.get(index))) {
                    if (perStep.contains(id)) {
                        sent.add(id);
                    }
                }
            }
            List<Object> sentArrays = new ArrayList<>();
            sent.forEach(id -> sentArrays.add(arrays.device(id)));
            sentArrays.add(arrays.batch);
            graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, sentArrays.toArray());
            KernelLowering lowering = new KernelLowering(graph, graphName, grids, arrays,
                    segments.get(s).stream().map(steps::get).toList());
            int count = 0;
            for (int index : segments.get(s)) {
                for (String task : lowering.lower(index, steps.get(index))) {
                    tasks.put(graphName + "." + task, steps.get(index));
                    count++;
                }
            }
            checkTaskCount(graphName, count);
            if (shared.length > 0) {
                graph.persistOnDevice(sharedArrays());
            }
            if (result >= 0 && lastUse == s) {
                graph.transferToHost(DataTransferMode.EVERY_EXECUTION, arrays.device(result));
            }
            indices[s] = graphs.size();
            graphs.add(graph);
        }
        return indices;
    }

    private void checkTaskCount(String graph, int count) {
        if (count > MAX_TASKS_PER_GRAPH) {
            throw new NnException("the " + graph + " graph of model '" + plan.modelName() + "' needs " + count
                    + " TornadoVM tasks, but TornadoVM runs at most " + MAX_TASKS_PER_GRAPH + " in one task graph; "
                    + "train this model with device = cpu");
        }
    }

    private Object[] persistentArrays() {
        return deviceArrays(persistent);
    }

    private Object[] sharedArrays() {
        return deviceArrays(shared);
    }

    private Object[] deviceArrays(int[] ids) {
        Object[] objects = new Object[ids.length];
        for (int i = 0; i < ids.length; i++) {
            objects[i] = arrays.device(ids[i]);
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
        Executable.requireBatch(batch, capacity);
        // Device code cannot throw; what the CPU's kernel refuses is refused here, before anything runs.
        for (VarianceCheck check : varianceChecks) {
            BatchNorm.requireVariance(batch, check.spatial(), check.origin());
        }
        for (MaskDraw draw : masks) {
            Dropout.drawMask(draw.rng(), arrays.host(draw.mask()), draw.p(), 0,
                    batch * arrays.sampleSize(draw.mask()));
        }
        sendBatch(batch);
        run(trainGraphs);
        arrays.toHost(plan.loss(), 1);
        return arrays.host(plan.loss())[0];
    }

    @Override
    public void infer(int batch) {
        Executable.requireBatch(batch, capacity);
        sendBatch(batch);
        run(inferGraphs);
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
        run(downloadGraph);
        for (int id : persistent) {
            arrays.toHost(id, arrays.capacity(id));
        }
    }

    @Override
    public void syncToDevice() {
        for (int id : persistent) {
            arrays.toDevice(id, arrays.capacity(id));
        }
        run(uploadGraphs);
    }

    private void run(int[] graphs) {
        for (int graph : graphs) {
            run(graph);
        }
    }

    /** Runs one graph; a kernel TornadoVM cannot compile or run is reported with the step it came from. */
    private void run(int graph) {
        try {
            execution.withGraph(graph).execute();
        } catch (RuntimeException e) {
            throw KernelFailure.explain(e, tasks, "graph " + graphNames[graph] + " on " + device.describe());
        } catch (Error e) {
            // TornadoVM reports code its compiler cannot handle as TornadoInternalError, a java.lang.Error.
            if (!e.getClass().getName().startsWith("uk.ac.manchester.tornado")) {
                throw e;
            }
            if (String.valueOf(e.getMessage()).contains("Graph resize not implemented")) {
                throw new NnException("model '" + plan.modelName() + "' keeps " + shared.length + " buffers on the "
                        + "device across its task graphs, more than a TornadoVM 5.2 task graph can hold (a fixed "
                        + "1,024 nodes); train it with device = cpu (docs/gpu.md, limits)", e);
            }
            throw KernelFailure.explain(e, tasks, "graph " + graphNames[graph] + " on " + device.describe());
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
