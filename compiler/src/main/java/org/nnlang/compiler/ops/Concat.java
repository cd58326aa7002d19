package org.nnlang.compiler.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.Signature.Attribute;
import org.nnlang.compiler.ops.Signature.Type;
import org.nnlang.compiler.source.Span;

/**
 * {@code (a, b, …) -> concat(axis = 0)}: joins tensors along a per-sample axis (axis 0 is the channels of an image or
 * the features of a vector; the batch dimension is not counted), PyTorch's {@code torch.cat(dim = axis + 1)}. All
 * other dimensions must agree.
 * <br>Backward: each input receives its own slice of {@code dy} ({@link Slice}).
 */
public final class Concat implements LayerOp, Primitive {
    public static final String KIND = "concat";

    @Override
    public String name() {
        return KIND;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int inputCount() {
        return ANY;
    }

    @Override
    public Signature signature() {
        return Signature.of(Attribute.optional("axis", Type.INT, 0, 0));
    }

    @Override
    public Value apply(GraphBuilder graph, List<Value> inputs, Map<String, Object> attributes, String scope,
                       String origin, Span span) throws ShapeException {
        int axis = (Integer) attributes.get("axis");
        TensorType first = inputs.get(0).type();
        if (axis >= first.rank()) {
            throw new ShapeException("concat: axis " + axis + " does not exist in '" + inputs.get(0).name() + "' "
                    + first + ", which has " + first.rank() + " dimension(s) per sample (axis counts from 0, "
                    + "without N)");
        }
        for (Value v : inputs) {
            if (!sameExceptAxis(first, v.type(), axis)) {
                throw new ShapeException("concat along axis " + axis + " needs the other dimensions to agree, but '"
                        + inputs.get(0).name() + "' is " + first + " and '" + v.name() + "' is " + v.type());
            }
        }
        return graph.addOne(KIND, inputs, Map.of("axis", axis), origin, span, scope);
    }

    private static boolean sameExceptAxis(TensorType a, TensorType b, int axis) {
        if (a.rank() != b.rank() || a.isBatched() != b.isBatched()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (i != axis && a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        int axis = (Integer) a.get("axis");
        if (inputs.size() < 2) {
            throw new ShapeException("concat joins two or more tensors, got " + inputs.size());
        }
        int[] dims = inputs.get(0).dims();
        int total = 0;
        for (TensorType t : inputs) {
            if (!sameExceptAxis(inputs.get(0), t, axis)) {
                throw new ShapeException("concat: " + inputs.get(0) + " and " + t + " differ off axis " + axis);
            }
            total += t.dim(axis);
        }
        dims[axis] = total;
        return List.of(TensorType.batched(dims));
    }

    @Override
    public List<Value> gradient(Node node, List<Value> outputGradients, boolean[] needsGradient,
                                GraphBuilder graph) {
        int axis = node.intAttribute("axis");
        List<Value> grads = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < node.inputs().size(); i++) {
            Value input = node.input(i);
            int length = input.type().dim(axis);
            grads.add(needsGradient[i] ? graph.derive(Slice.KIND, List.of(outputGradients.get(0)),
                    Map.of("axis", axis, "offset", offset, "length", length), "grad of " + node.origin(),
                    "grad(" + input.name() + ")") : null);
            offset += length;
        }
        return grads;
    }
}
