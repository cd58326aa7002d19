package org.nnlang.runtime.plan;

import java.util.List;

/**
 * What the compiler hands the runtime: every buffer a model needs, allocated once, and two fixed schedules over them.
 * {@link #trainingSteps} runs forward, loss, backward and the optimizer update for one batch; {@link #inferenceSteps}
 * runs the forward pass alone (in evaluation mode). Neither allocates: kernels only read and write these buffers.
 *
 * <p>This is the contract between the compiler and every backend, so it is plain data: the runtime never needs the
 * compiler to run a plan.
 *
 * @param input    the buffer the data loader writes a batch of samples into
 * @param target   the buffer it writes the labels into ({@code -1} if the plan cannot train)
 * @param output   the model's output (logits for classifiers)
 * @param loss     the one-float buffer holding the mean loss of the last training step ({@code -1} if none)
 */
public record ExecutionPlan(String modelName, List<BufferSpec> buffers, List<StepSpec> inferenceSteps,
                            List<StepSpec> trainingSteps, int input, int target, int output, int loss) {
    public ExecutionPlan {
        buffers = List.copyOf(buffers);
        inferenceSteps = List.copyOf(inferenceSteps);
        trainingSteps = List.copyOf(trainingSteps);
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).id() != i) {
                throw new IllegalArgumentException("buffer ids must be 0..n-1 in order; found " + buffers.get(i).id()
                        + " at position " + i);
            }
        }
    }

    public BufferSpec buffer(int id) {
        return buffers.get(id);
    }

    public boolean canTrain() {
        return target >= 0 && loss >= 0 && !trainingSteps.isEmpty();
    }

    /** The buffer called {@code name}, if the plan has one (e.g. {@code learning_rate}). */
    public java.util.Optional<BufferSpec> bufferNamed(String name) {
        return buffers.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The number of trainable floats, the figure {@code nn check} prints as "parameters". */
    public long parameterCount() {
        return buffers.stream().filter(b -> b.role() == BufferRole.PARAMETER).mapToLong(BufferSpec::sampleSize).sum();
    }
}
