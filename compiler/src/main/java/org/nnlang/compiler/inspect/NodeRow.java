package org.nnlang.compiler.inspect;

import java.util.List;

/**
 * One node of a graph summary.
 *
 * @param name       the node's name: its (first) output's name, e.g. {@code tower1.dense2.linear1} or
 *                   {@code grad(linear1)}; an update node, which has no output, is {@code update(PARAM)}
 * @param path       the name split on '.', after unwrapping {@code grad(…)} and {@code update(…)}: the block calls
 *                   that led to the node, then the node itself
 * @param group      the block calls alone (the path of the forward node the row belongs to, without its last part)
 * @param op         the primitive kind, e.g. {@code linear}, {@code relu_grad}, {@code adam_update}
 * @param params     elements of the parameters this node is the first to read (so the rows add up to the
 *                   model's count: every parameter is counted once, where the forward pass first uses it)
 * @param macs       multiply-accumulates per sample (see {@code Primitive.macs})
 * @param view       true when the output is the input's memory seen with another shape (no activation memory)
 * @param trainable  true when the node reads trainable parameters it is counted for
 * @param origin     what the user wrote that led here, e.g. {@code linear(128)} or {@code grad of linear(128)}
 * @param location   {@code file:line:column} of that source, or empty for nodes a pass made up
 */
public record NodeRow(String name, List<String> path, List<String> group, String op, Phase phase,
                      List<Operand> inputs, List<Operand> outputs, long params, long macs, boolean view,
                      boolean trainable, String origin, String location) {
    public NodeRow {
        path = List.copyOf(path);
        group = List.copyOf(group);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The output shape (several, comma-separated, for a node with several outputs), or {@code —} for none. */
    public String outputShape() {
        return outputs.isEmpty() ? "—" : String.join(", ", outputs.stream().map(Operand::shape).toList());
    }

    /** The shapes of the inputs that flow along edges: computed values and fed inputs, not weights or state. */
    public String inputShape() {
        List<String> shapes = dataInputs().stream().map(Operand::shape).toList();
        return shapes.isEmpty() ? "—" : String.join(", ", shapes);
    }

    /** The inputs drawn as edges: values computed by another node, and the graph's fed inputs. */
    public List<Operand> dataInputs() {
        return inputs.stream().filter(o -> o.producer() != null || o.isFed()).toList();
    }

    /** The inputs folded into the node: parameters and state. */
    public List<Operand> weightInputs() {
        return inputs.stream().filter(o -> o.producer() == null && !o.isFed()).toList();
    }

    /** Bytes of the node's outputs at {@code batch} samples: 0 for a view, which shares its input's memory. */
    public long activationBytes(int batch) {
        return view ? 0 : outputs.stream().mapToLong(o -> o.bytes(batch)).sum();
    }
}
