package org.nnlang.compiler.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.Signature.Attribute;
import org.nnlang.compiler.ops.Signature.Type;
import org.nnlang.compiler.source.Span;

/**
 * {@code depthwise_conv2d(kernel, stride = 1, padding = 0, multiplier = 1, bias = true)}: each input channel
 * convolved with its own {@code multiplier} filters — {@code conv2d} with {@code groups = in_channels} and
 * {@code out = in_channels · multiplier}, the seed article's §2.1. Followed by a 1×1 {@code conv2d} it makes a
 * depthwise-separable convolution: {@code C·k² + C·out} weights instead of {@code C·out·k²}.
 */
public final class DepthwiseConv2d implements LayerOp {
    @Override
    public String name() {
        return "depthwise_conv2d";
    }

    @Override
    public Signature signature() {
        return Signature.of(
                Attribute.required("kernel", Type.INT, 1),
                Attribute.optional("stride", Type.INT, 1, 1),
                Attribute.optional("padding", Type.PADDING, 0, 0),
                Attribute.optional("multiplier", Type.INT, 1, 1),
                Attribute.optional("bias", Type.BOOL, true, null));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value input = inputs.get(0);
        int channels = Conv2d.imageChannels("depthwise_conv2d", input);
        Map<String, Object> conv = new HashMap<>(attributes);
        conv.put("dilation", 1);
        return Conv2d.convolve(graph, input, channels * (Integer) attributes.get("multiplier"), conv, channels,
                channels, scope, origin, span);
    }
}
