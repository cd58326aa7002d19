package org.nnlang.compiler.inspect;

import java.util.Locale;
import org.nnlang.compiler.ir.Value;

/**
 * A value as a node sees it: its name, shape and kind, and the row that computed it ({@code null} for inputs,
 * parameters and state, which no node of the graph produces).
 *
 * @param kind     the value's kind in lower case: {@code input}, {@code parameter}, {@code computed}, …
 * @param elements elements per sample (batched) or in all
 */
public record Operand(String name, String shape, String kind, long elements, boolean batched, String producer) {
    static Operand of(Value value, String producer) {
        return new Operand(value.name(), value.type().toString(), value.kind().name().toLowerCase(Locale.ROOT),
                value.type().size(), value.type().isBatched(), producer);
    }

    /** Bytes of 32-bit floats the value takes at {@code batch} samples. */
    public long bytes(int batch) {
        return (batched ? (long) batch * elements : elements) * Float.BYTES;
    }

    /** True for values the graph is fed (inputs, labels) rather than computing or keeping them. */
    public boolean isFed() {
        return kind.equals("input") || kind.equals("target");
    }
}
