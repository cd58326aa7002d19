package org.nnlang.compiler.passes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.AdamUpdate;
import org.nnlang.compiler.ops.ClipGradNorm;
import org.nnlang.compiler.ops.SgdUpdate;
import org.nnlang.runtime.plan.Init;
import org.nnlang.runtime.train.Trainer;

/**
 * Turns "use this optimizer" into graph nodes: for every parameter, the state it needs (Adam's two moments, SGD's
 * momentum buffer, a step counter), all starting at zero, and one in-place update node at the end of the schedule,
 * after every forward and backward node has read the parameter. The learning rate is one shared value,
 * {@code learning_rate}, that the training loop may change between steps (schedules). With gradient clipping, the
 * gradients are scaled by one clipping coefficient computed from all of them before any update reads them.
 */
public final class OptimizerLowering {
    private OptimizerLowering() {
    }

    /** @param clipGradNorm the largest allowed global gradient norm, or {@code null} for no clipping */
    public static Graph lower(Graph graph, Map<Value, Value> gradients, Optimizer optimizer, Double clipGradNorm) {
        GraphBuilder builder = GraphBuilder.extending(graph);
        Value lr = builder.hyperparameter(Trainer.LEARNING_RATE, new Init.Constant(optimizer.lr()));
        Map<Value, Value> used = clipGradNorm == null ? gradients : clip(builder, gradients, clipGradNorm);
        for (Map.Entry<Value, Value> entry : used.entrySet()) {
            Value param = entry.getKey();
            Value grad = entry.getValue();
            String origin = "optimizer step of %" + param.name();
            if (optimizer instanceof Optimizer.Adam adam) {
                Value m = builder.state(param.name() + ".adam_m", param.type(), Init.zeros());
                Value v = builder.state(param.name() + ".adam_v", param.type(), Init.zeros());
                Value step = builder.state(param.name() + ".step", TensorType.fixed(1), Init.zeros());
                builder.addUpdate(AdamUpdate.KIND, List.of(param, grad, lr, m, v, step), List.of(param, m, v, step),
                        Map.of("beta1", adam.beta1(), "beta2", adam.beta2(), "eps", adam.eps(),
                                "weight_decay", adam.weightDecay(), "decoupled", adam.decoupled()),
                        origin);
            } else if (optimizer instanceof Optimizer.Sgd sgd) {
                List<Value> inputs = new ArrayList<>(List.of(param, grad, lr));
                List<Value> updates = new ArrayList<>(List.of(param));
                if (sgd.momentum() != 0) {
                    Value buffer = builder.state(param.name() + ".momentum", param.type(), Init.zeros());
                    Value step = builder.state(param.name() + ".step", TensorType.fixed(1), Init.zeros());
                    inputs.addAll(List.of(buffer, step));
                    updates.addAll(List.of(buffer, step));
                }
                builder.addUpdate(SgdUpdate.KIND, inputs, updates,
                        Map.of("momentum", sgd.momentum(), "dampening", sgd.dampening(),
                                "nesterov", sgd.nesterov(), "weight_decay", sgd.weightDecay()),
                        origin);
            }
        }
        return builder.build(graph.output(), graph.loss());
    }

    /** The gradients times {@code min(1, maxNorm / (‖all gradients‖ + 1e-6))}, PyTorch's clip_grad_norm_. */
    private static Map<Value, Value> clip(GraphBuilder builder, Map<Value, Value> gradients, double maxNorm) {
        Value coefficient = builder.derive(ClipGradNorm.KIND, new ArrayList<>(gradients.values()),
                Map.of("max_norm", maxNorm), "clip_grad_norm = " + maxNorm, "clip_coefficient");
        Map<Value, Value> clipped = new LinkedHashMap<>();
        gradients.forEach((param, grad) -> clipped.put(param, builder.derive(ClipGradNorm.Scale.KIND,
                List.of(grad, coefficient), Map.of(), "clip_grad_norm = " + maxNorm, "clipped(" + grad.name() + ")")));
        return clipped;
    }
}
