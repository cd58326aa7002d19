package org.nnlang.compiler;

/**
 * The one line {@code nn check} prints per model: its name, trainable parameters, the multiply-accumulates of one
 * sample's forward pass, and the output shape.
 */
public record ModelSummary(String name, long parameters, long macs, String outputShape) {
    @Override
    public String toString() {
        return String.format("%s: %,d parameters, %,d MACs per sample, output %s", name, parameters, macs,
                outputShape);
    }
}
