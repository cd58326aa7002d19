package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.ArrayList;
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
import org.nnlang.runtime.plan.Init;

/**
 * {@code conv2d(out, kernel, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true)}: PyTorch's
 * {@code nn.Conv2d} on {@code [N, C, H, W]} images (square kernels, equal stride/padding/dilation on both axes).
 *
 * <p>Forward: {@code y[n,o,i,j] = b[o] + Σ_{c,p,q} x[n, g·C/G + c, i·s − pad + p·d, j·s − pad + q·d] · W[o,c,p,q]}, over
 * the input channels of output channel o's group g; {@code W: [out, C/groups, k, k]}; output size
 * {@code ⌊(H + 2·pad − d·(k−1) − 1) / s⌋ + 1}. {@code padding = same} keeps H and W (stride 1, odd {@code d·(k−1)}
 * excluded).
 * <br>Backward: {@code dx} is the transposed convolution of {@code dy} with W; {@code dW[o,c,p,q] = Σ_{n,i,j} dy[n,o,i,j]
 * · x[n, …]}; {@code db[o] = Σ_{n,i,j} dy[n,o,i,j]}.
 * <br>Initialisation as PyTorch: W and b from {@code U(±1/√fan_in)}, {@code fan_in = C/groups · k · k}.
 * <br>Cost: {@code H_out · W_out · out · C/groups · k²} multiply-accumulates per sample, the same again for each of the
 * input and weight gradients.
 */
public final class Conv2d implements LayerOp, Primitive {
    public static final String KIND = "conv2d";

    @Override
    public String name() {
        return "conv2d";
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Signature signature() {
        return Signature.of(
                Attribute.required("out", Type.INT, 1),
                Attribute.required("kernel", Type.INT, 1),
                Attribute.optional("stride", Type.INT, 1, 1),
                Attribute.optional("padding", Type.PADDING, 0, 0),
                Attribute.optional("dilation", Type.INT, 1, 1),
                Attribute.optional("groups", Type.INT, 1, 1),
                Attribute.optional("bias", Type.BOOL, true, null));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value input = inputs.get(0);
        int channels = imageChannels("conv2d", input);
        return convolve(graph, input, (Integer) attributes.get("out"), attributes, (Integer) attributes.get("groups"),
                channels, scope, origin, span);
    }

    /** The channel count of an image input, or a message that says the input is no image. */
    static int imageChannels(String op, Value input) throws ShapeException {
        TensorType x = input.type();
        if (x.rank() != 3 || !x.isBatched()) {
            throw new ShapeException(op + " needs an image input [N, channels, height, width], but '" + input.name()
                    + "' is " + x);
        }
        return x.dim(0);
    }

    /** Adds the weight, the bias and the node of a convolution; shared with {@link DepthwiseConv2d}. */
    static Value convolve(GraphBuilder graph, Value input, int out, Map<String, Object> attributes, int groups,
                          int channels, String scope, String origin, Span span) throws ShapeException {
        int kernel = (Integer) attributes.get("kernel");
        int stride = (Integer) attributes.get("stride");
        int dilation = (Integer) attributes.get("dilation");
        if (channels % groups != 0 || out % groups != 0) {
            throw new ShapeException("groups = " + groups + " must divide the input channels (" + channels
                    + " in '" + input.name() + "') and the output channels (" + out + ")");
        }
        int padding;
        if ("same".equals(attributes.get("padding"))) {
            if (stride != 1 || dilation * (kernel - 1) % 2 != 0) {
                throw new ShapeException("padding = same needs stride 1 and an odd kernel (dilation · (kernel − 1) "
                        + "even); here stride = " + stride + ", kernel = " + kernel + ", dilation = " + dilation);
            }
            padding = dilation * (kernel - 1) / 2;
        } else {
            padding = (Integer) attributes.get("padding");
        }
        Init init = new Init.Uniform(1.0 / Math.sqrt((double) channels / groups * kernel * kernel));
        List<Value> nodeInputs = new ArrayList<>(List.of(input,
                graph.parameter(scope + ".weight", TensorType.fixed(out, channels / groups, kernel, kernel), init,
                        span)));
        if ((Boolean) attributes.get("bias")) {
            nodeInputs.add(graph.parameter(scope + ".bias", TensorType.fixed(out), init, span));
        }
        return graph.addOne(KIND, nodeInputs,
                Map.of("stride", stride, "padding", padding, "dilation", dilation, "groups", groups), origin, span,
                scope);
    }

    /** Output size of one spatial axis. */
    static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        return Math.floorDiv(in + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        if (inputs.size() != 2 && inputs.size() != 3) {
            throw new ShapeException("'conv2d' takes x, weight and an optional bias, got " + inputs.size());
        }
        TensorType x = inputs.get(0);
        TensorType w = inputs.get(1);
        int groups = (Integer) a.get("groups");
        if (x.rank() != 3 || w.rank() != 4 || w.dim(1) * groups != x.dim(0)) {
            throw new ShapeException("conv2d: input " + x + " does not match weight " + w + " with groups = " + groups);
        }
        int h = outputSize(x.dim(1), w.dim(2), (Integer) a.get("stride"), (Integer) a.get("padding"),
                (Integer) a.get("dilation"));
        int wd = outputSize(x.dim(2), w.dim(3), (Integer) a.get("stride"), (Integer) a.get("padding"),
                (Integer) a.get("dilation"));
        if (h < 1 || wd < 1) {
            throw new ShapeException("conv2d: the " + w.dim(2) + "x" + w.dim(3) + " kernel does not fit the "
                    + x.dim(1) + "x" + x.dim(2) + " input with padding " + a.get("padding") + " and dilation "
                    + a.get("dilation"));
        }
        if (inputs.size() == 3 && !inputs.get(2).equals(TensorType.fixed(w.dim(0)))) {
            throw new ShapeException("conv2d: bias " + inputs.get(2) + " does not match weight " + w);
        }
        return List.of(TensorType.batched(w.dim(0), h, wd));
    }

    @Override
    public long macs(Node node) {
        TensorType y = node.output().type();
        TensorType w = node.input(1).type();
        return (long) y.size() * w.dim(1) * w.dim(2) * w.dim(3);
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        Value dy = outputGradients.get(0);
        Value x = node.input(0);
        Value w = node.input(1);
        Value[] grads = new Value[node.inputs().size()];
        String origin = "grad of " + node.origin();
        Map<String, Object> attributes = new HashMap<>(node.attributes());
        if (needsGradient[0]) {
            attributes.put("in_height", x.type().dim(1));
            attributes.put("in_width", x.type().dim(2));
            grads[0] = graph.derive(GradInput.KIND, List.of(dy, w), attributes, origin, "grad(" + x.name() + ")");
        }
        if (needsGradient[1]) {
            Map<String, Object> weightAttributes = new HashMap<>(node.attributes());
            weightAttributes.put("kernel", w.type().dim(2));
            grads[1] = graph.derive(GradWeight.KIND, List.of(dy, x), weightAttributes, origin,
                    "grad(" + w.name() + ")");
        }
        if (grads.length == 3 && needsGradient[2]) {
            grads[2] = graph.derive(GradBias.KIND, List.of(dy), Map.of(), origin,
                    "grad(" + node.input(2).name() + ")");
        }
        return Arrays.asList(grads);
    }

    /** {@code conv2d_grad_input(dy, W) → dx: [N, C, in_height, in_width]} (a transposed convolution). */
    public static final class GradInput implements Primitive {
        public static final String KIND = "conv2d_grad_input";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 2);
            TensorType w = inputs.get(1);
            return List.of(TensorType.batched(w.dim(1) * (Integer) a.get("groups"), (Integer) a.get("in_height"),
                    (Integer) a.get("in_width")));
        }

        @Override
        public long macs(Node node) {
            TensorType dy = node.input(0).type();
            TensorType w = node.input(1).type();
            return (long) dy.size() * w.dim(1) * w.dim(2) * w.dim(3);
        }
    }

    /** {@code conv2d_grad_weight(dy, x) → dW: [out, C/groups, kernel, kernel]}, summed over the batch. */
    public static final class GradWeight implements Primitive {
        public static final String KIND = "conv2d_grad_weight";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 2);
            int k = (Integer) a.get("kernel");
            return List.of(TensorType.fixed(inputs.get(0).dim(0), inputs.get(1).dim(0) / (Integer) a.get("groups"),
                    k, k));
        }

        @Override
        public long macs(Node node) {
            return (long) node.input(0).type().size() * node.output().type().size()
                    / node.output().type().dim(0);
        }
    }

    /** {@code conv2d_grad_bias(dy) → db: [out]}, summed over batch and positions. */
    public static final class GradBias implements Primitive {
        public static final String KIND = "conv2d_grad_bias";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
            expectInputs(KIND, inputs, 1);
            return List.of(TensorType.fixed(inputs.get(0).dim(0)));
        }
    }
}
