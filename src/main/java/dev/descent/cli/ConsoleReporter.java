package dev.descent.cli;

import dev.descent.network.Network;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints a training run as it goes: the loss and accuracy about ten times over the run (every
 * epoch for short runs), and, at an interactive terminal, a progress bar on standard error.
 */
final class ConsoleReporter implements TrainingListener {
    /** About this many loss lines are printed, whatever the number of epochs. */
    static final int LINES = 10;

    private final PrintWriter out;
    private final boolean progressBar;
    private int every;
    private ProgressBar bar;

    ConsoleReporter(PrintWriter out, boolean progressBar) {
        this.out = out;
        this.progressBar = progressBar;
    }

    @Override
    public void onStart(Network network, int epochs, Evaluation initial) {
        every = Math.max(1, epochs / LINES);
        out.printf("%7s  %14s  %8s%n", "epoch", "loss", "accuracy");
        line(0, initial);
        if (progressBar) {
            bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(epochs)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" epochs", 1).setUpdateIntervalMillis(100)
                    // The plain consumer redraws one line with \r; the interactive default moves the
                    // cursor to a reserved line and would scramble the loss lines printed meanwhile.
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
    }

    @Override
    public void onEpoch(int epoch, Evaluation e) {
        if (bar != null) {
            bar.stepTo(epoch);
            bar.setExtraMessage(String.format(" loss %.4f", e.loss()));
        }
        if (epoch % every == 0 || !Double.isFinite(e.loss())) {
            line(epoch, e);
        }
    }

    @Override
    public void onEnd(History history) {
        if (bar != null) {
            bar.close();
        }
        History.Row last = history.last();
        if (last.epoch() % every != 0 && Double.isFinite(last.loss())) {
            out.printf("%7d  %14.6f  %7.1f%%%n", last.epoch(), last.loss(), 100 * last.accuracy());
        }
        out.flush();
    }

    private void line(int epoch, Evaluation e) {
        if (bar != null) {
            // Erase the bar's line first; it redraws itself below on its next refresh.
            System.err.print("\r\033[2K");
            System.err.flush();
        }
        out.printf("%7d  %14.6f  %7.1f%%%n", epoch, e.loss(), 100 * e.accuracy());
        out.flush();
    }
}
