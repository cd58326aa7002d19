package org.nnlang.runtime.tornado;

import java.util.List;
import org.nnlang.runtime.NnException;
import org.nnlang.runtime.plan.StepSpec;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Turns each step of a plan into TornadoVM tasks, the device twin of the CPU backend's {@code CpuKernels}: same
 * kernel names, same buffers, same attributes. A step may need more than one task (a reduction followed by the
 * pass that uses it) and scratch arrays that live only on the device; both are made here, once, when the plan is
 * loaded.
 *
 * <p>Task ids are {@code s<step>_<kernel>[_<part>]}; {@link KernelFailure} maps them back to the step and its
 * {@code .nn} line.
 */
final class KernelLowering {
    private final TaskGraph graph;
    private final String graphName;
    private final GridScheduler grids;
    /** Handed to kernels that take an optional array (a linear layer without bias) in place of {@code null}. */
    final FloatArray none = new FloatArray(1);
    final DeviceArrays arrays;
    private final ConvLowering conv = new ConvLowering(this);
    private final LayerLowering layers = new LayerLowering(this);
    /**
     * The partial sums of the graph's two-phase reductions ({@link Chunks}, {@link ReductionKernels}): one device
     * array per task graph, as large as its largest reduction needs, allocated once when the plan is loaded. Its
     * steps run one after the other, so they can all use it; one array rather than one per step also keeps the
     * graph small (TornadoVM 5.2 caps a graph's nodes, see {@link TornadoExecutable}).
     */
    final FloatArray scratch;

    /** Lowers {@code steps}, the steps of one task graph, into {@code graph}. */
    KernelLowering(TaskGraph graph, String graphName, GridScheduler grids, DeviceArrays arrays,
                   List<StepSpec> steps) {
        this.graph = graph;
        this.graphName = graphName;
        this.grids = grids;
        this.arrays = arrays;
        int floats = 1;
        for (StepSpec step : steps) {
            floats = Math.max(floats, Math.max(conv.scratchFloats(step), layers.scratchFloats(step)));
        }
        this.scratch = new FloatArray(floats);
    }

    /**
     * An upper bound on the tasks {@link #lower} adds for {@code step}: one or two for most kernels (a reduction,
     * then the pass that uses it), three for batchnorm (a two-phase reduction, then the element-wise pass; its five
     * inputs allow six), one per input (and one more) for those that take a list (concat, clip_coefficient).
     */
    static int mostTasks(StepSpec step) {
        return Math.max(2, step.inputs().length + 1);
    }

    /** Adds the tasks of step number {@code index}; returns their ids. */
    List<String> lower(int index, StepSpec step) {
        String id = "s" + index + "_" + step.kernel();
        return switch (step.kernel()) {
            case "linear" -> linear(id, step);
            case "linear_grad_input" -> linearGradInput(id, step);
            case "linear_grad_weight" -> linearGradWeight(id, step);
            case "linear_grad_bias" -> List.of(add(id, DeviceKernels::linearGradBias, in(step, 0), out(step, 0),
                    arrays.batch, capacityRows(step.input(0)), arrays.sampleSize(step.output(0))));
            case "relu", "sigmoid", "tanh", "gelu" -> List.of(add(id, DeviceKernels::activation, in(step, 0),
                    out(step, 0), arrays.batch, capacity(step.output(0)), perSample(step.output(0)),
                    Activation.code(step.kernel())));
            case "relu_grad", "sigmoid_grad", "tanh_grad", "gelu_grad" -> List.of(add(id,
                    DeviceKernels::activationGrad, in(step, 0), in(step, 1), out(step, 0), arrays.batch,
                    capacity(step.output(0)), perSample(step.output(0)),
                    Activation.code(step.kernel().substring(0, step.kernel().length() - "_grad".length()))));
            case "softmax_cross_entropy" -> softmaxCrossEntropy(id, step);
            case "softmax_cross_entropy_grad" -> List.of(add(id, DeviceKernels::softmaxCrossEntropyGrad,
                    in(step, 0), in(step, 1), out(step, 0), arrays.batch, capacityRows(step.input(0)),
                    arrays.sampleSize(step.input(0))));
            case "adam_update" -> adam(id, step);
            case "sgd_update" -> sgd(id, step);
            default -> other(id, step);
        };
    }

    /** Convolutions and pooling ({@link ConvLowering}), then the other layers ({@link LayerLowering}). */
    private List<String> other(String id, StepSpec step) {
        List<String> tasks = conv.lower(id, step);
        if (tasks == null) {
            tasks = layers.lower(id, step);
        }
        if (tasks == null) {
            throw new NnException("the TornadoVM backend has no kernel '" + step.kernel() + "' (step from "
                    + step.origin() + "); run this model with device = cpu");
        }
        return tasks;
    }

    // ---- matrix products: tiled, with local memory (DeviceKernels.TILE × TILE work groups) ----

    private List<String> linear(String id, StepSpec step) {
        boolean hasBias = step.inputs().length > 2;
        int in = arrays.sampleSize(step.input(0));
        int out = arrays.sampleSize(step.output(0));
        int rows = capacityRows(step.input(0));
        addGrid(id, out, rows);
        return List.of(add(id, DeviceKernels::linearForward, new KernelContext(), in(step, 0), in(step, 1),
                hasBias ? in(step, 2) : none, out(step, 0), arrays.batch, in, out, hasBias ? 1 : 0));
    }

    private List<String> linearGradInput(String id, StepSpec step) {
        int out = arrays.sampleSize(step.input(0));
        int in = arrays.sampleSize(step.output(0));
        addGrid(id, in, capacityRows(step.input(0)));
        return List.of(add(id, DeviceKernels::linearGradInput, new KernelContext(), in(step, 0), in(step, 1),
                out(step, 0), arrays.batch, in, out));
    }

    private List<String> linearGradWeight(String id, StepSpec step) {
        int out = arrays.sampleSize(step.input(0));
        int in = arrays.sampleSize(step.input(1));
        addGrid(id, in, out);
        return List.of(add(id, DeviceKernels::linearGradWeight, new KernelContext(), in(step, 0), in(step, 1),
                out(step, 0), arrays.batch, in, out));
    }

    /** A 2-D grid of TILE × TILE work groups covering {@code columns × rows} outputs. */
    void addGrid(String id, int columns, int rows) {
        WorkerGrid grid = new WorkerGrid2D(roundUp(columns), roundUp(rows));
        grid.setLocalWork(DeviceKernels.TILE, DeviceKernels.TILE, 1);
        grids.addWorkerGrid(graphName + "." + id, grid);
    }

    private static int roundUp(int n) {
        return (n + DeviceKernels.TILE - 1) / DeviceKernels.TILE * DeviceKernels.TILE;
    }

    // ---- losses: a parallel pass per row, then one task sums the rows in order ----

    private List<String> softmaxCrossEntropy(String id, StepSpec step) {
        int rows = capacityRows(step.input(0));
        FloatArray rowLoss = new FloatArray(rows);
        return List.of(
                add(id + "_rows", DeviceKernels::softmaxCrossEntropyRows, in(step, 0), in(step, 1), out(step, 1),
                        rowLoss, arrays.batch, rows, arrays.sampleSize(step.input(0))),
                add(id + "_mean", DeviceKernels::meanOfRows, rowLoss, out(step, 0), arrays.batch));
    }

    // ---- optimizers: one task advances the step counter and works out the step's scalars, then the update ----

    private List<String> adam(String id, StepSpec step) {
        FloatArray scalars = new FloatArray(DeviceKernels.ADAM_SCALARS);
        int count = arrays.capacity(step.input(0));
        return List.of(
                add(id + "_prepare", DeviceKernels::adamPrepare, in(step, 5), in(step, 2), scalars,
                        (float) step.doubleAttribute("beta1"), (float) step.doubleAttribute("beta2")),
                add(id, DeviceKernels::adamUpdate, in(step, 0), in(step, 1), in(step, 3), in(step, 4), scalars,
                        count, (float) step.doubleAttribute("beta1"), (float) step.doubleAttribute("beta2"),
                        (float) step.doubleAttribute("eps"), (float) step.doubleAttribute("weight_decay"),
                        step.booleanAttribute("decoupled") ? 1 : 0));
    }

    private List<String> sgd(String id, StepSpec step) {
        boolean hasMomentum = step.inputs().length == 5;
        FloatArray firstStep = new FloatArray(1);
        int count = arrays.capacity(step.input(0));
        String prepare = add(id + "_prepare", DeviceKernels::sgdPrepare, hasMomentum ? in(step, 4) : none,
                firstStep, hasMomentum ? 1 : 0);
        String update = add(id, DeviceKernels::sgdUpdate, in(step, 0), in(step, 1), in(step, 2),
                hasMomentum ? in(step, 3) : none, firstStep, count, (float) step.doubleAttribute("momentum"),
                (float) step.doubleAttribute("dampening"), step.booleanAttribute("nesterov") ? 1 : 0,
                (float) step.doubleAttribute("weight_decay"));
        return List.of(prepare, update);
    }

    // ---- small helpers ----

    FloatArray in(StepSpec step, int i) {
        return arrays.device(step.input(i));
    }

    FloatArray out(StepSpec step, int i) {
        return arrays.device(step.output(i));
    }

    /** Floats of buffer {@code id} at the plan's batch capacity. */
    int capacity(int id) {
        return arrays.capacity(id);
    }

    /** Rows (samples) buffer {@code id} holds at the plan's batch capacity. */
    int capacityRows(int id) {
        return arrays.capacity(id) / Math.max(1, arrays.sampleSize(id));
    }

    /** Floats per sample of a batched buffer; 0 for an unbatched one, which kernels then take whole. */
    int perSample(int id) {
        return arrays.spec(id).batched() ? arrays.sampleSize(id) : 0;
    }

    // TaskGraph.task is overloaded by arity; these keep the lowering readable.

    <A, B> String add(String id, uk.ac.manchester.tornado.api.common.TornadoFunctions.Task2<A, B> code,
                              A a, B b) {
        graph.task(id, code, a, b);
        return id;
    }

    <A, B, C> String add(String id,
                                 uk.ac.manchester.tornado.api.common.TornadoFunctions.Task3<A, B, C> code,
                                 A a, B b, C c) {
        graph.task(id, code, a, b, c);
        return id;
    }

    <A, B, C, D> String add(String id,
                            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task4<A, B, C, D> code,
                            A a, B b, C c, D d) {
        graph.task(id, code, a, b, c, d);
        return id;
    }

    <A, B, C, D, E> String add(String id,
                                       uk.ac.manchester.tornado.api.common.TornadoFunctions.Task5<A, B, C, D, E> code,
                                       A a, B b, C c, D d, E e) {
        graph.task(id, code, a, b, c, d, e);
        return id;
    }

    <A, B, C, D, E, F> String add(String id,
            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task6<A, B, C, D, E, F> code,
            A a, B b, C c, D d, E e, F f) {
        graph.task(id, code, a, b, c, d, e, f);
        return id;
    }

    <A, B, C, D, E, F, G> String add(String id,
            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task7<A, B, C, D, E, F, G> code,
            A a, B b, C c, D d, E e, F f, G g) {
        graph.task(id, code, a, b, c, d, e, f, g);
        return id;
    }

    <A, B, C, D, E, F, G, H> String add(String id,
            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task8<A, B, C, D, E, F, G, H> code,
            A a, B b, C c, D d, E e, F f, G g, H h) {
        graph.task(id, code, a, b, c, d, e, f, g, h);
        return id;
    }

    <A, B, C, D, E, F, G, H, I> String add(String id,
            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task9<A, B, C, D, E, F, G, H, I> code,
            A a, B b, C c, D d, E e, F f, G g, H h, I i) {
        graph.task(id, code, a, b, c, d, e, f, g, h, i);
        return id;
    }

    <A, B, C, D, E, F, G, H, I, J, K> String add(String id,
            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task11<A, B, C, D, E, F, G, H, I, J, K> code,
            A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k) {
        graph.task(id, code, a, b, c, d, e, f, g, h, i, j, k);
        return id;
    }

    <A, B, C, D, E, F, G, H, I, J> String add(String id,
            uk.ac.manchester.tornado.api.common.TornadoFunctions.Task10<A, B, C, D, E, F, G, H, I, J> code,
            A a, B b, C c, D d, E e, F f, G g, H h, I i, J j) {
        graph.task(id, code, a, b, c, d, e, f, g, h, i, j);
        return id;
    }
}
