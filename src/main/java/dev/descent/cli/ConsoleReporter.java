package dev.descent.cli;

import dev.descent.network.Network;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints a training run as it goes: one line per epoch (about ten lines in all for long runs),
 * with validation numbers when there is a validation set and throughput for mini-batch runs; and,
 * at an interactive terminal, a progress bar on standard error: over the epochs for full-batch
 * training, over the batches of each epoch (with samples per second, running loss and time left)
 * for mini-batches.
 */
final class ConsoleReporter implements TrainingListener {
    /** About this many epoch lines are printed, whatever the number of epochs. */
    static final int LINES = 10;

    private final PrintWriter out;
    private final boolean progressBar;
    private final boolean miniBatches;
    private int every;
    private boolean validation;
    private ProgressBar bar;
    private int samples;

    ConsoleReporter(PrintWriter out, boolean progressBar, boolean miniBatches) {
        this.out = out;
        this.progressBar = progressBar;
        this.miniBatches = miniBatches;
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        every = epochs <= 2 * LINES ? 1 : epochs / LINES;
        validation = initial.hasValidation();
        out.printf(Locale.ROOT, "%7s  %14s  %8s", "epoch", "loss", "accuracy");
        if (validation) {
            out.printf(Locale.ROOT, "  %14s  %8s", "val loss", "val acc");
        }
        out.printf(Locale.ROOT, miniBatches ? "  %8s  %12s%n" : "%n", "seconds", "samples/s");
        line(initial, 0);
        if (progressBar && !miniBatches) {
            bar = bar("training", epochs, " epochs");
        }
    }

    private static ProgressBar bar(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUnit(unit, 1).setUpdateIntervalMillis(100)
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
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f, %,d samples/s", runningLoss, samples * 1000L / ms));
        if (batch == batches) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEpoch(History.Row row) {
        if (bar != null && !miniBatches) {
            bar.stepTo(row.epoch());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", row.loss()));
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
        out.printf(Locale.ROOT, "%7d  %14.6f  %s", row.epoch(), row.loss(), percent(row.accuracy()));
        if (validation) {
            out.printf(Locale.ROOT, "  %14.6f  %s", row.validationLoss(), percent(row.validationAccuracy()));
        }
        if (miniBatches && row.epoch() > 0) {
            out.printf(Locale.ROOT, "  %8.2f  %,12.0f", row.seconds(), perSecond);
        }
        out.println();
        out.flush();
    }
}
