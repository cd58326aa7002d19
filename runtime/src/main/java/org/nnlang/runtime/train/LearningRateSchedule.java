package org.nnlang.runtime.train;

/**
 * The learning rate of every training step: a base rate, a decay, and an optional linear warm-up, multiplied together
 * (as PyTorch's schedulers chain). With {@code t} the step number in the whole run (from 0), {@code T} the number of
 * steps of the run and {@code e} the epoch (from 0):
 * <ul>
 *   <li>{@link Decay.None}: {@code lr = base};</li>
 *   <li>{@link Decay.Step}: {@code lr = base · gamma^⌊e / every⌋} (PyTorch's {@code StepLR}, stepped per epoch);</li>
 *   <li>{@link Decay.Cosine}: {@code lr = min + (base − min) · (1 + cos(π·t/T)) / 2} (PyTorch's
 *       {@code CosineAnnealingLR} with {@code T_max = T}, stepped per batch);</li>
 *   <li>warm-up over {@code W} steps multiplies by {@code min(1, (t + 1) / W)} (PyTorch's
 *       {@code LambdaLR(lambda t: min(1, (t + 1) / W))}; with cosine, one {@code LambdaLR} of the product).</li>
 * </ul>
 */
public record LearningRateSchedule(double base, Decay decay, int warmupSteps) {
    /** How the rate falls over the run. */
    public sealed interface Decay {
        record None() implements Decay {
        }

        record Step(int every, double gamma) implements Decay {
        }

        record Cosine(double min) implements Decay {
        }
    }

    /** A rate that never changes. */
    public static LearningRateSchedule constant(double base) {
        return new LearningRateSchedule(base, new Decay.None(), 0);
    }

    public boolean isConstant() {
        return decay instanceof Decay.None && warmupSteps == 0;
    }

    /** The rate of step {@code step} (from 0) of a run of {@code totalSteps}, in epoch {@code epoch} (from 0). */
    public double at(int epoch, long step, long totalSteps) {
        double rate = base;
        if (decay instanceof Decay.Step s) {
            rate = base * Math.pow(s.gamma(), epoch / s.every());
        } else if (decay instanceof Decay.Cosine c) {
            rate = c.min() + (base - c.min()) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
        }
        if (warmupSteps > 0) {
            rate *= Math.min(1.0, (step + 1) / (double) warmupSteps);
        }
        return rate;
    }
}
