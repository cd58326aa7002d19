package org.nnlang.runtime.backend.cpu;

import org.nnlang.runtime.exec.WorkerPool;
import org.nnlang.runtime.plan.StepSpec;
import org.nnlang.runtime.tensor.Rng;

/**
 * The kernels the CPU backend runs, by the name a plan's steps use (the compiler's primitive kinds). Each binds to
 * buffers as follows (inputs → outputs; "updates" are changed in place):
 * <pre>
 * linear                      x, W[, b]                      → y
 * linear_grad_input           dy, W                          → dx
 * linear_grad_weight          dy, x                          → dW
 * linear_grad_bias            dy                             → db
 * conv2d                      x, W[, b]                      → y          {stride, padding, dilation, groups}
 * conv2d_grad_input           dy, W                          → dx
 * conv2d_grad_weight          dy, x                          → dW
 * conv2d_grad_bias            dy                             → db
 * max_pool2d                  x                              → y, indices {kernel, stride, padding}
 * max_pool2d_grad             dy, indices                    → dx
 * avg_pool2d                  x                              → y
 * avg_pool2d_grad             dy                             → dx
 * global_avg_pool             x                              → y
 * global_avg_pool_grad        dy                             → dx
 * batchnorm_train             x, γ, β, mean, var             → y, saved_mean, saved_invstd; updates mean, var
 * batchnorm_grad              x, dy, saved_mean, saved_invstd, γ → dx, dγ, dβ
 * batchnorm_eval              x, γ, β, mean, var             → y
 * dropout                     x                              → y, mask    {p}
 * dropout_grad                dy, mask                       → dx
 * relu, sigmoid, tanh, gelu   x                              → y
 * NAME_grad                   y (gelu: x), dy                → dx
 * softmax                     x                              → y
 * softmax_grad                y, dy                          → dx
 * add                         a, b                           → y
 * concat                      a, b, …                        → y          {axis}
 * slice                       dy                             → part       {axis, offset, length}
 * softmax_cross_entropy       logits, labels                 → loss, probs
 * softmax_cross_entropy_grad  probs, labels                  → dlogits
 * mse                         prediction, target             → loss
 * mse_grad                    prediction, target             → dprediction
 * one_hot                     labels                         → y
 * clip_coefficient            g₁, …, g_k                     → c          {max_norm}
 * scale                       g, c                           → g·c
 * adam_update                 param, grad, lr, m, v, step    → updates param, m, v, step
 * sgd_update                  param, grad, lr[, buf, step]   → updates param[, buf, step]
 * </pre>
 */
final class CpuKernels {
    private CpuKernels() {
    }

    /**
     * @param rng the stream random kernels (dropout) draw from; each such step gets its own split of it
     */
    static BoundStep bind(StepSpec step, Buffers buffers, WorkerPool pool, Rng rng) {
        return switch (step.kernel()) {
            case "linear" -> new LinearSteps.Forward(step, buffers, pool);
            case "linear_grad_input" -> new LinearSteps.GradInput(step, buffers, pool);
            case "linear_grad_weight" -> new LinearSteps.GradWeight(step, buffers, pool);
            case "linear_grad_bias" -> new LinearSteps.GradBias(step, buffers);
            case "conv2d" -> new ConvSteps.Forward(step, buffers, pool);
            case "conv2d_grad_input" -> new ConvSteps.GradInput(step, buffers, pool);
            case "conv2d_grad_weight" -> new ConvSteps.GradWeight(step, buffers, pool);
            case "conv2d_grad_bias" -> new ConvSteps.GradBias(step, buffers);
            case "max_pool2d" -> new ConvSteps.MaxPool(step, buffers, pool);
            case "max_pool2d_grad" -> new ConvSteps.MaxPoolGrad(step, buffers, pool);
            case "avg_pool2d" -> new ConvSteps.AvgPool(step, buffers, pool);
            case "avg_pool2d_grad" -> new ConvSteps.AvgPoolGrad(step, buffers, pool);
            case "global_avg_pool" -> new ConvSteps.GlobalAvgPool(step, buffers, pool);
            case "global_avg_pool_grad" -> new ConvSteps.GlobalAvgPoolGrad(step, buffers, pool);
            case "batchnorm_train" -> new NormSteps.Train(step, buffers, pool);
            case "batchnorm_grad" -> new NormSteps.Grad(step, buffers, pool);
            case "batchnorm_eval" -> new NormSteps.Eval(step, buffers, pool);
            case "dropout" -> new NormSteps.DropoutForward(step, buffers, pool, rng.split());
            case "dropout_grad" -> new NormSteps.DropoutGrad(step, buffers, pool);
            case "relu", "sigmoid", "tanh", "gelu" -> new ElementwiseSteps.Activation(step, buffers, pool);
            case "relu_grad", "sigmoid_grad", "tanh_grad", "gelu_grad" ->
                    new ElementwiseSteps.ActivationGrad(step, buffers, pool);
            case "softmax", "softmax_grad" -> new ElementwiseSteps.Softmax(step, buffers, pool);
            case "add" -> new ElementwiseSteps.Add(step, buffers, pool);
            case "concat" -> new ElementwiseSteps.ConcatStep(step, buffers, pool);
            case "slice" -> new ElementwiseSteps.SliceStep(step, buffers, pool);
            case "softmax_cross_entropy" -> new LossSteps.SoftmaxCrossEntropy(step, buffers);
            case "softmax_cross_entropy_grad" -> new LossSteps.SoftmaxCrossEntropyGrad(step, buffers);
            case "mse" -> new LossSteps.Mse(step, buffers);
            case "mse_grad" -> new LossSteps.MseGrad(step, buffers);
            case "one_hot" -> new LossSteps.OneHot(step, buffers);
            case "clip_coefficient" -> new OptimizerSteps.ClipCoefficient(step, buffers);
            case "scale" -> new OptimizerSteps.Scale(step, buffers, pool);
            case "adam_update" -> new OptimizerSteps.AdamUpdate(step, buffers, pool);
            case "sgd_update" -> new OptimizerSteps.SgdUpdate(step, buffers, pool);
            default -> throw new IllegalArgumentException("the CPU backend has no kernel '" + step.kernel()
                    + "' (step from " + step.origin() + ")");
        };
    }

    /** A {@code linear} or {@code conv2d} step that also applies the activation after it ({@code epilogue}). */
    static BoundStep bindWithEpilogue(StepSpec step, Buffers buffers, WorkerPool pool,
                                      ElementwiseSteps.Epilogue epilogue) {
        return switch (step.kernel()) {
            case "linear" -> new LinearSteps.Forward(step, buffers, pool, epilogue);
            case "conv2d" -> new ConvSteps.Forward(step, buffers, pool, epilogue);
            default -> throw new IllegalArgumentException("no epilogue for kernel '" + step.kernel() + "'");
        };
    }
}
