package org.nnlang.runtime.backend.cpu;

import java.util.Set;
import java.util.TreeSet;
import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.plan.StepSpec;

/**
 * The kernels the CPU backend runs, by the name a plan's steps use (the compiler's primitive kinds). Each binds to
 * buffers as follows (inputs → outputs):
 * <pre>
 * linear                      x, W[, b]               → y
 * linear_grad_input           dy, W                   → dx
 * linear_grad_weight          dy, x                   → dW
 * linear_grad_bias            dy                      → db
 * relu                        x                       → y
 * relu_grad                   y, dy                   → dx
 * add                         a, b                    → y
 * softmax_cross_entropy       logits, labels          → loss, probs
 * softmax_cross_entropy_grad  probs, labels           → dlogits
 * mse                         prediction, target      → loss
 * mse_grad                    prediction, target      → dprediction
 * one_hot                     labels                  → y
 * adam_update                 param, grad, m, v, step → (param, m, v, step updated in place)
 * sgd_update                  param, grad[, buf, step]→ (param[, buf, step] updated in place)
 * </pre>
 */
final class CpuKernels {
    private CpuKernels() {
    }

    static Set<String> names() {
        return new TreeSet<>(Set.of("linear", "linear_grad_input", "linear_grad_weight", "linear_grad_bias", "relu",
                "relu_grad", "add", "softmax_cross_entropy", "softmax_cross_entropy_grad", "mse", "mse_grad",
                "one_hot", "adam_update", "sgd_update"));
    }

    static BoundStep bind(StepSpec step, Buffers buffers, WorkerPool pool) {
        return switch (step.kernel()) {
            case "linear" -> new LinearSteps.Forward(step, buffers, pool);
            case "linear_grad_input" -> new LinearSteps.GradInput(step, buffers, pool);
            case "linear_grad_weight" -> new LinearSteps.GradWeight(step, buffers, pool);
            case "linear_grad_bias" -> new LinearSteps.GradBias(step, buffers);
            case "relu" -> new ElementwiseSteps.Relu(step, buffers, pool);
            case "relu_grad" -> new ElementwiseSteps.ReluGrad(step, buffers, pool);
            case "add" -> new ElementwiseSteps.Add(step, buffers, pool);
            case "softmax_cross_entropy" -> new LossSteps.SoftmaxCrossEntropy(step, buffers);
            case "softmax_cross_entropy_grad" -> new LossSteps.SoftmaxCrossEntropyGrad(step, buffers);
            case "mse" -> new LossSteps.Mse(step, buffers);
            case "mse_grad" -> new LossSteps.MseGrad(step, buffers);
            case "one_hot" -> new LossSteps.OneHot(step, buffers);
            case "adam_update" -> new OptimizerSteps.AdamUpdate(step, buffers, pool);
            case "sgd_update" -> new OptimizerSteps.SgdUpdate(step, buffers, pool);
            default -> throw new IllegalArgumentException("the CPU backend has no kernel '" + step.kernel()
                    + "' (step from " + step.origin() + "); it has " + names());
        };
    }
}
