package org.nnlang.compiler.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnlang.compiler.ir.Graph;
import org.nnlang.compiler.ir.GraphBuilder;
import org.nnlang.compiler.ir.TensorType;
import org.nnlang.compiler.ir.Value;
import org.nnlang.compiler.ops.AdamUpdate;
import org.nnlang.compiler.ops.SgdUpdate;
import org.nnlang.runtime.plan.Init;

/**
 * Turns "use this optimizer" into graph nodes: for every parameter, the state it needs (Adam's two moments, SGD's
 * momentum buffer, a step counter), all starting at zero, and one in-place update node at the end of the schedule,
 * after every forward and backward node has read the parameter.
 */
public final class OptimizerLowering {
    private OptimizerLowering() {
    }

    public static Graph lower(Graph graph, Map<Value, Value> gradients, Optimizer optimizer) {
        GraphBuilder builder = GraphBuilder.extending(graph);
        for (Map.Entry<Value, Value> entry : gradients.entrySet()) {
            Value param = entry.getKey();
            Value grad = entry.getValue();
            String origin = "optimizer step of %" + param.name();
            if (optimizer instanceof Optimizer.Adam adam) {
                Value m = builder.state(param.name() + ".adam_m", param.type(), Init.zeros());
                Value v = builder.state(param.name() + ".adam_v", param.type(), Init.zeros());
                Value step = builder.state(param.name() + ".step", TensorType.fixed(1), Init.zeros());
                builder.addUpdate(AdamUpdate.KIND, List.of(param, grad, m, v, step), List.of(param, m, v, step),
                        Map.of("lr", adam.lr(), "beta1", adam.beta1(), "beta2", adam.beta2(), "eps", adam.eps(),
                                "weight_decay", adam.weightDecay(), "decoupled", adam.decoupled()),
                        origin);
            } else if (optimizer instanceof Optimizer.Sgd sgd) {
                List<Value> inputs = new ArrayList<>(List.of(param, grad));
                List<Value> updates = new ArrayList<>(List.of(param));
                if (sgd.momentum() != 0) {
                    Value buffer = builder.state(param.name() + ".momentum", param.type(), Init.zeros());
                    Value step = builder.state(param.name() + ".step", TensorType.fixed(1), Init.zeros());
                    inputs.addAll(List.of(buffer, step));
                    updates.addAll(List.of(buffer, step));
                }
                builder.addUpdate(SgdUpdate.KIND, inputs, updates,
                        Map.of("lr", sgd.lr(), "momentum", sgd.momentum(), "dampening", sgd.dampening(),
                                "nesterov", sgd.nesterov(), "weight_decay", sgd.weightDecay()),
                        origin);
            }
        }
        return builder.build(graph.output(), graph.loss());
    }
}
