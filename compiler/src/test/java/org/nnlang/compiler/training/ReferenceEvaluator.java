package org.nnlang.compiler.training;

import java.util.HashMap;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Node;
import org.nnlang.compiler.ir.Value;

/**
 * The forward semantics of every forward primitive, in float64 and in the plainest loops: the definition the fast
 * float32 kernels and the gradients derived by autodiff are checked against. Deliberately independent of the runtime.
 */
final class ReferenceEvaluator {
    private ReferenceEvaluator() {
    }

    /** Evaluates every node of {@code graph} on a batch of {@code n}; {@code known} holds inputs and parameters. */
    static Map<Value, double[]> run(Graph graph, Map<Value, double[]> known, int n) {
        Map<Value, double[]> values = new HashMap<>(known);
        for (Node node : graph.nodes()) {
            double[] a = values.get(node.input(0));
            switch (node.kind()) {
                case "linear" -> {
                    double[] w = values.get(node.input(1));
                    double[] b = node.inputs().size() > 2 ? values.get(node.input(2)) : null;
                    int in = node.input(0).type().size();
                    int out = node.output().type().size();
                    double[] y = new double[n * out];
                    for (int r = 0; r < n; r++) {
                        for (int o = 0; o < out; o++) {
                            double sum = b == null ? 0 : b[o];
                            for (int i = 0; i < in; i++) {
                                sum += a[r * in + i] * w[o * in + i];
                            }
                            y[r * out + o] = sum;
                        }
                    }
                    values.put(node.output(), y);
                }
                case "relu" -> {
                    double[] y = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        y[i] = Math.max(a[i], 0);
                    }
                    values.put(node.output(), y);
                }
                case "reshape" -> values.put(node.output(), a);
                case "add" -> {
                    double[] b = values.get(node.input(1));
                    double[] y = new double[a.length];
                    for (int i = 0; i < a.length; i++) {
                        y[i] = a[i] + b[i];
                    }
                    values.put(node.output(), y);
                }
                case "one_hot" -> {
                    int classes = node.output().type().size();
                    double[] y = new double[n * classes];
                    for (int r = 0; r < n; r++) {
                        y[r * classes + (int) a[r]] = 1;
                    }
                    values.put(node.output(), y);
                }
                case "softmax_cross_entropy" -> {
                    double[] labels = values.get(node.input(1));
                    int classes = node.input(0).type().size();
                    double total = 0;
                    for (int r = 0; r < n; r++) {
                        double sumExp = 0;
                        for (int c = 0; c < classes; c++) {
                            sumExp += Math.exp(a[r * classes + c]);
                        }
                        total += Math.log(sumExp) - a[r * classes + (int) labels[r]];
                    }
                    values.put(node.outputs().get(0), new double[] {total / n});
                }
                case "mse" -> {
                    double[] target = values.get(node.input(1));
                    int count = n * node.input(0).type().size();
                    double total = 0;
                    for (int i = 0; i < count; i++) {
                        total += (a[i] - target[i]) * (a[i] - target[i]);
                    }
                    values.put(node.output(), new double[] {total / count});
                }
                default -> throw new IllegalArgumentException("no reference semantics for '" + node.kind() + "'");
            }
        }
        return values;
    }
}
