package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.Signature.Attribute;
import org.nnlang.compiler.ops.Signature.SameAs;
import org.nnlang.compiler.ops.Signature.Type;
import org.nnlang.compiler.source.Span;

/**
 * {@code max_pool2d(kernel, stride = kernel, padding = 0)} and {@code avg_pool2d(…)}: PyTorch's {@code MaxPool2d} and
 * {@code AvgPool2d} (square windows, {@code ceil_mode = False}; average pooling counts padding,
 * {@code count_include_pad = True}). Output size {@code ⌊(H + 2·pad − k) / s⌋ + 1}; padding at most half the kernel.
 *
 * <p>Max: {@code y = max} over the window; the position of the maximum is kept ({@code indices}) so the backward
 * sends {@code dy} to it alone. Average: {@code y = Σ window / k²}; the backward spreads {@code dy / k²} over the window.
 */
public final class Pool2d implements LayerOp, Primitive {
    private final boolean max;

    private Pool2d(boolean max) {
        this.max = max;
    }

    public static Pool2d max() {
        return new Pool2d(true);
    }

    public static Pool2d average() {
        return new Pool2d(false);
    }

    @Override
    public String name() {
        return max ? "max_pool2d" : "avg_pool2d";
    }

    @Override
    public String kind() {
        return name();
    }

    public String gradKind() {
        return name() + "_grad";
    }

    @Override
    public Signature signature() {
        return Signature.of(
                Attribute.required("kernel", Type.INT, 1),
                Attribute.optional("stride", Type.INT, new SameAs("kernel"), 1),
                Attribute.optional("padding", Type.INT, 0, 0));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value input = inputs.get(0);
        Conv2d.imageChannels(name(), input);
        int kernel = (Integer) attributes.get("kernel");
        int padding = (Integer) attributes.get("padding");
        if (padding > kernel / 2) {
            throw new ShapeException(name() + ": padding " + padding + " is more than half the kernel " + kernel
                    + " (PyTorch's limit: every window must hold at least one real pixel)");
        }
        Map<String, Object> a = Map.of("kernel", kernel, "stride", attributes.get("stride"), "padding", padding);
        if (max) {
            return graph.add(kind(), inputs, a, origin, span, scope, scope + ".indices").get(0);
        }
        return graph.addOne(kind(), inputs, a, origin, span, scope);
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        expectInputs(kind(), inputs, 1);
        TensorType x = inputs.get(0);
        int k = (Integer) a.get("kernel");
        int s = (Integer) a.get("stride");
        int p = (Integer) a.get("padding");
        int h = Conv2d.outputSize(x.dim(1), k, s, p, 1);
        int w = Conv2d.outputSize(x.dim(2), k, s, p, 1);
        if (h < 1 || w < 1) {
            throw new ShapeException(name() + ": the " + k + "x" + k + " window does not fit the " + x.dim(1) + "x"
                    + x.dim(2) + " input");
        }
        TensorType y = TensorType.batched(x.dim(0), h, w);
        return max ? List.of(y, y) : List.of(y);
    }

    @Override
    public long macs(Node node) {
        return 0;
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value x = node.input(0);
        Map<String, Object> a = new HashMap<>(node.attributes());
        a.put("in_height", x.type().dim(1));
        a.put("in_width", x.type().dim(2));
        List<Value> inputs = max ? List.of(outputGradients.get(0), node.outputs().get(1))
                : List.of(outputGradients.get(0));
        return Arrays.asList(graph.derive(gradKind(), inputs, a, "grad of " + node.origin(),
                "grad(" + x.name() + ")"));
    }

    /** {@code max_pool2d_grad(dy, indices)} or {@code avg_pool2d_grad(dy)} → {@code dx: [N, C, in_height, in_width]}. */
    public static final class Grad implements Primitive {
        private final Pool2d pool;

        public Grad(Pool2d pool) {
            this.pool = pool;
        }

        @Override
        public String kind() {
            return pool.gradKind();
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(kind(), inputs, pool.max ? 2 : 1);
            return List.of(TensorType.batched(inputs.get(0).dim(0), (Integer) a.get("in_height"),
                    (Integer) a.get("in_width")));
        }
    }
}
