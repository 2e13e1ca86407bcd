package dev.descent.cli;

import dev.descent.network.Network;
import dev.descent.report.HistoryCsv;
import dev.descent.report.LossPlot;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
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
 * failure to write here is reported once and does not stop training.
 */
final class LiveOutputs implements TrainingListener {
    /** The loss curve is redrawn at most this often: a PNG takes tens of milliseconds. */
    static final long PLOT_EVERY_NANOS = 5_000_000_000L;

    private final Path history;
    private final LossPlot plot;
    private final Path plotPath;
    private final PrintWriter warnings;
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
    LiveOutputs(Path history, LossPlot plot, Path plotPath, List<History.Row> earlier, PrintWriter warnings) {
        this(history, plot, plotPath, earlier, warnings, PLOT_EVERY_NANOS);
    }

    LiveOutputs(Path history, LossPlot plot, Path plotPath, List<History.Row> earlier, PrintWriter warnings,
            long plotEveryNanos) {
        this.plotEveryNanos = plotEveryNanos;
        this.history = history;
        this.plot = plot;
        this.plotPath = plotPath;
        this.rows = new ArrayList<>(earlier);
        this.warnings = warnings;
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
                csv = Files.newBufferedWriter(history, StandardCharsets.UTF_8);
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
                plotFailed = true;
                failed(plotPath, e);
            }
            lastDrawn = System.nanoTime();
        }
    }

    @Override
    public void onEnd(History end) {
        close();
    }

    private void failed(Path path, IOException e) {
        warnings.println("warning: cannot update " + path + " during training (" + e.getMessage()
                + "); it is written at the end");
        warnings.flush();
        if (path.equals(history)) {
            close();
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
