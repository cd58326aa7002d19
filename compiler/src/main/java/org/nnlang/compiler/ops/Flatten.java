package org.nnlang.compiler.ops;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.source.Span;

/**
 * {@code flatten}: each sample becomes a vector, {@code [N, C, H, W] → [N, C·H·W]} (PyTorch's {@code nn.Flatten()}).
 * Written as a {@link Reshape}, so it costs nothing at run time.
 */
public final class Flatten implements LayerOp {
    @Override
    public String name() {
        return "flatten";
    }

    @Override
    public Signature signature() {
        return Signature.none();
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        Value input = inputs.get(0);
        return graph.addOne(Reshape.KIND, List.of(input), Map.of("dims", new int[] {input.type().size()}), origin,
                span, scope);
    }
}
