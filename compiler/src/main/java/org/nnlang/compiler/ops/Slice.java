package org.nnlang.compiler.ops;

import static org.nnlang.compiler.ops.Primitive.expectInputs;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.TensorType;

/**
 * {@code slice(x) {axis, offset, length}}: positions {@code [offset, offset + length)} of a per-sample axis — the
 * gradient of {@link Concat} for one of its inputs.
 */
public final class Slice implements Primitive {
    public static final String KIND = "slice";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<TensorType> outputTypes(List<TensorType> inputs, Map<String, Object> a) throws ShapeException {
        expectInputs(KIND, inputs, 1);
        int axis = (Integer) a.get("axis");
        int offset = (Integer) a.get("offset");
        int length = (Integer) a.get("length");
        int[] dims = inputs.get(0).dims();
        if (axis >= dims.length || offset < 0 || length < 1 || offset + length > dims[axis]) {
            throw new ShapeException("slice [" + offset + ", " + (offset + length) + ") of axis " + axis
                    + " is outside " + inputs.get(0));
        }
        dims[axis] = length;
        return List.of(TensorType.batched(dims));
    }
}
