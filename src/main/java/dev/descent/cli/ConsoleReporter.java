package dev.descent.cli;

import dev.descent.network.Network;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Prints a training run as it goes: one line per epoch (about ten lines in all for long runs),
 * with validation numbers when there is a validation set and throughput for mini-batch runs; and,
 * at an interactive terminal, a progress bar on standard error: over the epochs for full-batch
 * training, over the batches of each epoch (with samples per second, running loss and time left)
 * for mini-batches, fitted to the terminal's width ({@link ProgressLine}). A terminal narrower
 * than {@link ProgressLine#MIN_COLUMNS} gets no bar and a line for every epoch instead.
 *
 * <p>A regression run has no accuracy columns; with standardised targets, its lines also give the
 * training set's mean squared error in the targets' own units beside the standardised loss.
 */
final class ConsoleReporter implements TrainingListener {
    /** About this many epoch lines are printed, whatever the number of epochs. */
    static final int LINES = 10;

    private final PrintWriter out;
    private final boolean progressBar;
    private final boolean miniBatches;
    private final int columns;
    private int every;
    private boolean validation, accuracy;
    private ProgressBar bar;
    private int samples;
    private Network network;
    private ToDoubleFunction<Network> unitsError;

    ConsoleReporter(PrintWriter out, boolean progressBar, boolean miniBatches) {
        this(out, progressBar, miniBatches, progressBar ? terminalColumns() : ProgressLine.MIN_COLUMNS);
    }

    /** @param columns the terminal's width: narrower than {@link ProgressLine#MIN_COLUMNS}, lines instead of a bar */
    ConsoleReporter(PrintWriter out, boolean progressBar, boolean miniBatches, int columns) {
        this.out = out;
        this.progressBar = progressBar && columns >= ProgressLine.MIN_COLUMNS;
        this.miniBatches = miniBatches;
        this.columns = columns;
    }

    /** The width of standard error's terminal, as the progress bar's library finds it (80 when it cannot). */
    private static int terminalColumns() {
        return new ConsoleProgressBarConsumer(System.err).getMaxRenderedLength() + 1;
    }

    /**
     * Also prints, on each line, the training set's error in the targets' own units that
     * {@code error} computes for the network as it stands (regression with standardised targets).
     */
    ConsoleReporter unitsError(ToDoubleFunction<Network> error) {
        this.unitsError = error;
        return this;
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        this.network = network;
        boolean narrow = columns < ProgressLine.MIN_COLUMNS;
        every = epochs <= 2 * LINES || narrow ? 1 : epochs / LINES;
        validation = initial.hasValidation();
        accuracy = !Double.isNaN(initial.accuracy());
        out.printf(Locale.ROOT, "%7s  %14s", "epoch", "loss");
        if (unitsError != null) {
            out.printf(Locale.ROOT, "  %14s", "mse in units");
        }
        if (accuracy) {
            out.printf(Locale.ROOT, "  %8s", "accuracy");
        }
        if (validation) {
            out.printf(Locale.ROOT, accuracy ? "  %14s  %8s" : "  %14s", "val loss", "val acc");
        }
        out.printf(Locale.ROOT, miniBatches ? "  %8s  %12s%n" : "%n", "seconds", "samples/s");
        line(initial, 0);
        if (progressBar && !miniBatches) {
            bar = bar("training", epochs, " epochs");
        }
    }

    private static ProgressBar bar(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setRenderer(new ProgressLine())
                .setUpdateIntervalMillis(100)
                // The plain consumer redraws one line with \r; the interactive default moves the
                // cursor to a reserved line and would scramble the lines printed meanwhile.
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish().build();
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
        if (!progressBar) {
            return;
        }
        if (batch == 1 || bar == null) { // a resumed run starts part-way through an epoch
            bar = bar("epoch " + epoch, batches, " batches");
        }
        bar.stepTo(batch);
        long ms = Math.max(1, bar.getTotalElapsed().toMillis());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f\t%,d samples/s", runningLoss, samples * 1000L / ms));
        if (batch == batches) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEpoch(History.Row row) {
        if (bar != null && !miniBatches) {
            bar.stepTo(row.epoch());
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", row.loss()));
        }
        if (row.epoch() % every == 0 || !Double.isFinite(row.loss())) {
            line(row, samplesPerSecond(row));
        }
    }

    private double samplesPerSecond(History.Row row) {
        return row.seconds() > 0 ? samples / row.seconds() : 0;
    }

    /** The number of training samples, for the throughput column. */
    ConsoleReporter samples(int n) {
        this.samples = n;
        return this;
    }

    @Override
    public void onEnd(History history) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        History.Row last = history.last();
        if (last.epoch() % every != 0 && Double.isFinite(last.loss())) {
            line(last, samplesPerSecond(last));
        }
        out.flush();
    }

    /** {@code "  80.0%"}, or a dash where there is no accuracy (regression). */
    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "       -" : String.format(Locale.ROOT, "%7.1f%%", 100 * fraction);
    }

    private void line(History.Row row, double perSecond) {
        if (bar != null) {
            // Erase the bar's line first; it redraws itself below on its next refresh.
            System.err.print("\r\033[2K");
            System.err.flush();
        }
        out.printf(Locale.ROOT, "%7d  %14.6f", row.epoch(), row.loss());
        if (unitsError != null) {
            out.printf(Locale.ROOT, "  %14.6g", unitsError.applyAsDouble(network));
        }
        if (accuracy) {
            out.printf(Locale.ROOT, "  %s", percent(row.accuracy()));
        }
        if (validation) {
            out.printf(Locale.ROOT, "  %14.6f", row.validationLoss());
            if (accuracy) {
                out.printf(Locale.ROOT, "  %s", percent(row.validationAccuracy()));
            }
        }
        if (miniBatches && row.epoch() > 0) {
            out.printf(Locale.ROOT, "  %8.2f  %,12.0f", row.seconds(), perSecond);
        }
        out.println();
        out.flush();
    }
}
