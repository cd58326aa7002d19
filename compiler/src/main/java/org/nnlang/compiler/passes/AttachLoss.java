package org.nnlang.compiler.passes;

import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.ValueKind;
import org.nnlang.compiler.ops.Mse;
import org.nnlang.compiler.ops.OneHot;
import org.nnlang.compiler.ops.ShapeException;
import org.nnlang.compiler.ops.SoftmaxCrossEntropy;
import org.nnlang.compiler.source.Span;

/** The first training pass: adds the labels input and the loss node to a model's forward graph. */
public final class AttachLoss {
    private AttachLoss() {
    }

    /** @throws ShapeException when the model's output cannot feed this loss (reported at the {@code loss} line) */
    public static Graph attach(Graph forward, LossKind loss, Span span) throws ShapeException {
        GraphBuilder graph = GraphBuilder.extending(forward);
        Value labels = graph.input("labels", ValueKind.TARGET, TensorType.batched(), span);
        Value output = forward.output();
        String origin = "loss = " + loss.keyword();
        Value lossValue;
        if (loss == LossKind.CROSS_ENTROPY) {
            lossValue = graph.add(SoftmaxCrossEntropy.KIND, List.of(output, labels), Map.of(), origin, span,
                    "loss", "probs").get(0);
        } else {
            if (!output.type().isBatched() || output.type().rank() != 1) {
                throw new ShapeException("mse compares the output with the one-hot class, so the model must "
                        + "output [N, classes], but it outputs " + output.type());
            }
            Value oneHot = graph.addOne(OneHot.KIND, List.of(labels), Map.of("classes", output.type().dim(0)),
                    origin, span, "labels_one_hot");
            lossValue = graph.addOne(Mse.KIND, List.of(output, oneHot), Map.of(), origin, span, "loss");
        }
        return graph.build(output, lossValue);
    }
}
