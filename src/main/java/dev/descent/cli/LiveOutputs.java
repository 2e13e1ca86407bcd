package dev.descent.cli;

import dev.descent.network.Network;
import dev.descent.report.HistoryCsv;
import dev.descent.report.LossPlot;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a long run be followed from disk: the history CSV gets each epoch's line as the epoch ends
 * (flushed), and the loss curve is redrawn when {@link #PLOT_EVERY_NANOS} have passed since it was
 * last drawn. The command writes both once more, complete and atomically, when training ends. A
 * failure to write here (a full disk) does not stop training and prints nothing: the history being
 * followed is removed rather than left cut off mid-line, the picture is left as it was, and the
 * write at the end, which tries again, is the one that reports a failure, in one line.
 */
final class LiveOutputs implements TrainingListener {
    /** The loss curve is redrawn at most this often: a PNG takes tens of milliseconds. */
    static final long PLOT_EVERY_NANOS = 5_000_000_000L;

    private final Path history;
    private final LossPlot plot;
    private final Path plotPath;
    private final Opener opener;
    private final List<History.Row> rows;
    private final long plotEveryNanos;
    private Writer csv;
    private boolean validation;
    private long lastDrawn;
    private boolean plotFailed;

    /**
     * @param history  the history CSV, or null
     * @param plot     the picture, or null
     * @param plotPath where it goes
     * @param earlier  the rows of a resumed run so far (from epoch 0), or an empty list
     */
    LiveOutputs(Path history, LossPlot plot, Path plotPath, List<History.Row> earlier) {
        this(history, plot, plotPath, earlier, PLOT_EVERY_NANOS, LiveOutputs::open);
    }

    /** How the history being followed is opened: tests give a writer that fails as a full disk does. */
    interface Opener {
        Writer open(Path path) throws IOException;
    }

    LiveOutputs(Path history, LossPlot plot, Path plotPath, List<History.Row> earlier, long plotEveryNanos,
            Opener opener) {
        this.plotEveryNanos = plotEveryNanos;
        this.history = history;
        this.plot = plot;
        this.plotPath = plotPath;
        this.rows = new ArrayList<>(earlier);
        this.opener = opener;
    }

    private static Writer open(Path path) throws IOException {
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    @Override
    public void onStart(Network network, int epochs, History.Row initial) {
        if (rows.isEmpty()) {
            rows.add(initial);
        }
        validation = initial.hasValidation();
        lastDrawn = System.nanoTime();
        if (history != null) {
            try {
                csv = opener.open(history);
                csv.write(HistoryCsv.header(validation));
                for (History.Row row : rows) {
                    csv.write(HistoryCsv.line(row, validation));
                }
                csv.flush();
            } catch (IOException e) {
                failed(history, e);
            }
        }
    }

    @Override
    public void onEpoch(History.Row row) {
        rows.add(row);
        if (csv != null) {
            try {
                csv.write(HistoryCsv.line(row, validation));
                csv.flush();
            } catch (IOException e) {
                failed(history, e);
            }
        }
        if (plot != null && !plotFailed && System.nanoTime() - lastDrawn >= plotEveryNanos) {
            try {
                plot.write(rows, plotPath);
            } catch (IOException e) {
                plotFailed = true; // written atomically: the old picture stays, and the end tries again
            }
            lastDrawn = System.nanoTime();
        }
    }

    @Override
    public void onEnd(History end) {
        close();
    }

    /**
     * The history being followed could not be written: it is closed and removed, not left cut off
     * (the file itself, where {@code path} is a link: the link stays, as the rules for outputs say).
     */
    private void failed(Path path, IOException e) {
        close();
        try {
            Files.deleteIfExists(path.toRealPath());
        } catch (IOException ignored) {
            // the write at the end replaces it, or says why it cannot
        }
    }

    private void close() {
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException e) {
                // the complete file is written atomically at the end
            }
            csv = null;
        }
    }
}
