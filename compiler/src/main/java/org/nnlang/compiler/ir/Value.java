package org.nnlang.compiler.ir;

import org.nnlang.compiler.source.Span;
import org.nnlang.runtime.plan.Init;

/**
 * A tensor of the graph, written exactly once (by its producing node, the data loader or the initialiser). Values
 * are compared by identity: two values with the same name and type are still different tensors.
 *
 * @param id    unique within a graph and its derived graphs, so passes can map values to buffers
 * @param name  readable and unique, e.g. {@code fc1.weight}, {@code h}, {@code grad(h)}
 * @param init  how a parameter or state value starts out; {@code null} for the others
 * @param span  the source that introduced the value (synthetic for values a pass made)
 */
public record Value(int id, String name, ValueKind kind, TensorType type, Init init, Span span) {
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(id);
    }

    @Override
    public String toString() {
        return "%" + name + ": " + type;
    }
}
