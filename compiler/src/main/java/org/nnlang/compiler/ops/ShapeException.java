package org.nnlang.compiler.ops;

/**
 * A shape rule's "no": the inputs cannot go into this op. The checker turns it into a diagnostic at the op's call
 * site; the verifier turns it into an internal error naming the pass that built the bad node.
 */
public final class ShapeException extends Exception {
    public ShapeException(String message) {
        super(message);
    }
}
