package org.nnlang.compiler.passes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ir.Verifier;
import org.nnlang.compiler.ops.ShapeException;
import org.nnlang.compiler.source.Span;

/**
 * The passes that turn a model's forward graph into ONE training graph, in order: attach the loss, differentiate,
 * lower the optimizer; and, beside it, the inference graph that evaluation runs. The IR is verified after every pass, and every intermediate graph is kept by pass name so
 * {@code nn inspect} can show the graph after any of them.
 */
public final class TrainingPipeline {
    public static final String FORWARD = "check";
    public static final String INFERENCE = "inference";
    public static final String ATTACH_LOSS = "attach-loss";
    public static final String AUTODIFF = "autodiff";
    public static final String OPTIMIZER = "optimizer";

    private TrainingPipeline() {
    }

    /**
     * The graph after each pass, in order, and the inference graph derived from the forward one.
     *
     * @param counterparts for each computed value of the inference graph, the training value it stands for
     */
    public record Stages(Map<String, Graph> byPass, Map<Value, Value> counterparts) {
        public Stages {
            byPass = Collections.unmodifiableMap(new LinkedHashMap<>(byPass));
            counterparts = Map.copyOf(counterparts);
        }

        public Graph training() {
            return byPass.get(OPTIMIZER);
        }

        public Graph inference() {
            return byPass.get(INFERENCE);
        }
    }

    /** @throws ShapeException when the model's output does not fit the loss (a user error at {@code lossSpan}) */
    /** @param clipGradNorm the largest global gradient norm, or {@code null} for no clipping */
    public static Stages run(Graph forward, LossKind loss, Span lossSpan, Optimizer optimizer, Double clipGradNorm)
            throws ShapeException {
        Map<String, Graph> stages = new LinkedHashMap<>();
        stages.put(FORWARD, Verifier.verify(forward, FORWARD));
        Graph withLoss = Verifier.verify(AttachLoss.attach(forward, loss, lossSpan), ATTACH_LOSS);
        stages.put(ATTACH_LOSS, withLoss);
        Autodiff.Result differentiated = Autodiff.differentiate(withLoss);
        stages.put(AUTODIFF, Verifier.verify(differentiated.graph(), AUTODIFF));
        Graph training = OptimizerLowering.lower(differentiated.graph(), differentiated.gradients(), optimizer,
                clipGradNorm);
        stages.put(OPTIMIZER, Verifier.verify(training, OPTIMIZER));
        InferenceGraph.Result inference = InferenceGraph.derive(forward, GraphBuilder.extending(training).nextId());
        stages.put(INFERENCE, Verifier.verify(inference.graph(), INFERENCE));
        return new Stages(stages, inference.counterparts());
    }
}
