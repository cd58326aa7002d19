package org.nnlang.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nnlang.runtime.train.EpochResult;
import org.nnlang.runtime.train.TrainingListener;

/**
 * What {@code nn train} shows while it trains: a live progress bar per epoch with the running loss (only on a
 * terminal), then one line per finished epoch:
 * <pre>
 * epoch  3/10  train loss 0.4123  test acc 85.21%  12,345 samples/s  4.9 s
 * </pre>
 * {@link #batchFinished} runs on the training thread after every batch, so it only adds to a sum and moves a counter;
 * the bar redraws itself from its own thread a few times a second, and the loss text is rebuilt after the first batch
 * and then every {@value #MESSAGE_EVERY} batches.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {
    private static final int MESSAGE_EVERY = 16;
    private static final int REDRAW_MILLIS = 200;

    private final Terminal terminal;
    private final int epochs;
    private final int epochWidth;
    private ProgressBar bar;
    private int batchesDone;
    private double lossSum;

    TrainProgress(Terminal terminal, int epochs) {
        this.terminal = terminal;
        this.epochs = epochs;
        this.epochWidth = Integer.toString(epochs).length();
    }

    @Override
    public void epochStarted(int epoch, int epochCount, int batches) {
        closeBar();
        batchesDone = 0;
        lossSum = 0;
        if (terminal.interactive()) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochCount))
                    .setInitialMax(batches)
                    .setUnit(" batches", 1)
                    .setStyle(unicode() ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(REDRAW_MILLIS)
                    .setConsumer(new LineConsumer(terminal.err(), width()))
                    .clearDisplayOnFinish()
                    .build();
        }
    }

    @Override
    public void batchFinished(int epoch, int batch, float loss) {
        batchesDone++;
        lossSum += loss;
        if (bar != null) {
            bar.stepTo(batchesDone);
            if (batchesDone % MESSAGE_EVERY == 1) {
                bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossSum / batchesDone));
            }
        }
    }

    @Override
    public void epochFinished(EpochResult result) {
        closeBar();
        terminal.out().println(epochLine(result, epochs, epochWidth));
        terminal.out().flush();
    }

    /** {@code epoch  3/10  train loss 0.4123  test acc 85.21%  12,345 samples/s  4.9 s} */
    static String epochLine(EpochResult result, int epochs, int epochWidth) {
        return String.format(Locale.ROOT, "epoch %" + epochWidth + "d/%d  train loss %.4f  test acc %.2f%%  "
                        + "%,.0f samples/s  %.1f s", result.epoch(), epochs, result.trainLoss(),
                100 * result.testAccuracy(), result.samplesPerSecond(), result.seconds());
    }

    /** Takes the bar off the screen; safe to call when there is none, and when training stopped half-way. */
    @Override
    public void close() {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static boolean unicode() {
        String encoding = System.getProperty("native.encoding", Charset.defaultCharset().name());
        return encoding.toUpperCase(Locale.ROOT).replace("-", "").equals("UTF8");
    }

    /** The terminal's width from {@code $COLUMNS} when the shell exports it, else a width every terminal has. */
    private static int width() {
        try {
            String columns = System.getenv("COLUMNS");
            if (columns != null) {
                return Math.max(40, Integer.parseInt(columns.trim()) - 1);
            }
        } catch (NumberFormatException e) {
            // Fall back to the default below.
        }
        return 79;
    }

    /**
     * Draws the bar on one line with carriage returns and, when cleared, leaves the cursor at the start of an empty
     * line so the epoch's summary takes the bar's place. A fixed width keeps the progress bar library from probing
     * the terminal through JLine.
     */
    private static final class LineConsumer extends ConsoleProgressBarConsumer {
        private final PrintStream stream;

        LineConsumer(PrintStream stream, int width) {
            super(stream, width);
            this.stream = stream;
        }

        @Override
        public void close() {
            stream.print('\r');
            stream.flush();
        }
    }
}
