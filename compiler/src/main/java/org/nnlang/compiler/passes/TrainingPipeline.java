package org.nnlang.compiler.passes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.Verifier;
import org.nnlang.compiler.ops.ShapeException;
import org.nnlang.compiler.source.Span;

/**
 * The passes that turn a model's forward graph into ONE training graph, in order: attach the loss, differentiate,
 * lower the optimizer. The IR is verified after every pass, and every intermediate graph is kept by pass name so
 * {@code nn inspect} can show the graph after any of them.
 */
public final class TrainingPipeline {
    public static final String FORWARD = "check";
    public static final String ATTACH_LOSS = "attach-loss";
    public static final String AUTODIFF = "autodiff";
    public static final String OPTIMIZER = "optimizer";

    private TrainingPipeline() {
    }

    /** The graph after each pass, in order; the last one is the training graph. */
    public record Stages(Map<String, Graph> byPass) {
        public Stages {
            byPass = Collections.unmodifiableMap(new LinkedHashMap<>(byPass));
        }

        public Graph training() {
            return byPass.get(OPTIMIZER);
        }
    }

    /** @throws ShapeException when the model's output does not fit the loss (a user error at {@code lossSpan}) */
    public static Stages run(Graph forward, LossKind loss, Span lossSpan, Optimizer optimizer)
            throws ShapeException {
        Map<String, Graph> stages = new LinkedHashMap<>();
        stages.put(FORWARD, Verifier.verify(forward, FORWARD));
        Graph withLoss = Verifier.verify(AttachLoss.attach(forward, loss, lossSpan), ATTACH_LOSS);
        stages.put(ATTACH_LOSS, withLoss);
        Autodiff.Result differentiated = Autodiff.differentiate(withLoss);
        stages.put(AUTODIFF, Verifier.verify(differentiated.graph(), AUTODIFF));
        Graph training = OptimizerLowering.lower(differentiated.graph(), differentiated.gradients(), optimizer);
        stages.put(OPTIMIZER, Verifier.verify(training, OPTIMIZER));
        return new Stages(stages);
    }
}
