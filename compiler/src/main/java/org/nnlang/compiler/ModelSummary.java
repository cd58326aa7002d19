package org.nnlang.compiler;

/** The one line {@code nn check} prints per model: its name, trainable parameters and output shape. */
public record ModelSummary(String name, long parameters, String outputShape) {
    @Override
    public String toString() {
        return String.format("%s: %,d parameters, output %s", name, parameters, outputShape);
    }
}
