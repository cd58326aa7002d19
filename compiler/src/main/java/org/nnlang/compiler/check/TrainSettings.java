package org.nnlang.compiler.check;

import org.nnlang.compiler.passes.LossKind;
import org.nnlang.compiler.passes.Optimizer;
import org.nnlang.compiler.source.Span;
import org.nnlang.runtime.data.DataSource;
import org.nnlang.runtime.train.LearningRateSchedule;

/**
 * The checked settings of one {@code train} block. {@code lossSpan} is where shape errors of the loss point.
 *
 * @param schedule     the learning rate of every step (base rate from the optimizer)
 * @param clipGradNorm the largest global gradient norm, or {@code null} for no clipping
 */
public record TrainSettings(DataSource data, LossKind loss, Span lossSpan, Optimizer optimizer, int batch,
                            boolean shuffle, int epochs, long seed, String device, LearningRateSchedule schedule,
                            Double clipGradNorm) {
    public static final int DEFAULT_BATCH = 32;
    public static final boolean DEFAULT_SHUFFLE = true;
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_SEED = 0;
    public static final String DEFAULT_DEVICE = "cpu";
    /** The words {@code device = …} takes (and {@code --device}). */
    public static final java.util.List<String> DEVICES = java.util.List.of("cpu", "gpu", "fpga", "auto");
}
