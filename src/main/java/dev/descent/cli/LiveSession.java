package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.doctor.Finding;
import dev.descent.live.Events;
import dev.descent.live.LayerProbe;
import dev.descent.live.LiveRecorder;
import dev.descent.live.LiveServer;
import dev.descent.live.Report;
import dev.descent.live.RunLog;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.metrics.RegressionMetrics;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One command's page, from {@link LiveOptions}: the run's events, the live server with
 * {@code --live}, the report with {@code --report}. Without either option every method does
 * nothing, so a command calls them unconditionally.
 */
final class LiveSession implements AutoCloseable {
    private final RunLog log = new RunLog();
    private final LiveServer server;
    private final Path report;
    private volatile int epoch = -1;

    private LiveSession(LiveOptions options) {
        this.report = options == null ? null : options.report;
        this.server = options == null || options.live == null ? null : serve(options.live);
    }

    /** Binds the port now, before any data is read, so that a port in use is reported at once. */
    static LiveSession open(LiveOptions options) {
        return new LiveSession(options);
    }

    private LiveServer serve(int port) {
        try {
            return LiveServer.start(port, log);
        } catch (BindException e) {
            throw new UserError("--live: port " + port + " on 127.0.0.1 is in use; give another, or --live alone "
                    + "for a free one");
        } catch (IOException e) {
            throw new UserError("--live: cannot serve on 127.0.0.1 port " + port + " (" + e.getMessage() + ")");
        }
    }

    private boolean active() {
        return server != null || report != null;
    }

    /** Adds the page's address to a run's header. */
    void header(Map<String, String> header) {
        if (server != null) {
            header.put("live", server.url() + " (this run's page, served until Ctrl-C)");
        }
    }

    /** Says where the page is, for a run that prints no header (--quiet). */
    void announce(PrintWriter out) {
        if (server != null) {
            out.println("live page: " + server.url() + " (training)");
            out.flush();
        }
    }

    /** The first event: what runs, with the header's lines and, when known, how it was made. */
    void started(String title, Map<String, String> header, Map<String, ?> provenance, int epochs, String lossLabel) {
        if (active()) {
            log.append(Events.run(title, header, provenance, epochs, lossLabel));
        }
    }

    /** The listener that records a training run of {@code setup}, or one that does nothing. */
    TrainingListener recorder(Setup setup, Supplier<Optimizer> optimizerNow, List<History.Row> earlier) {
        if (!active()) {
            return new TrainingListener() {};
        }
        LayerProbe probe = new LayerProbe(setup.loss(), optimizerNow, setup.data(), setup.recipe().batch());
        double scale = setup.reduction() == Reduction.SUM ? setup.data().size() : 1;
        LiveRecorder recorder = new LiveRecorder(log, probe, setup.recipe().schedule()::rate, scale, earlier);
        return new TrainingListener() {
            @Override
            public void onStart(Network network, int epochs, History.Row initial) {
                recorder.onStart(network, epochs, initial);
            }

            @Override
            public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
                recorder.onBatch(epoch, batch, batches, samples, runningLoss);
            }

            @Override
            public void onEpoch(History.Row row) {
                epoch = row.epoch();
                recorder.onEpoch(row);
            }
        };
    }

    /** A copy of the run's optimizer as it is now: the step it would take next is the one the page shows. */
    static Supplier<Optimizer> copyOf(Setup setup, Optimizer running) {
        return () -> {
            Optimizer copy = setup.recipe().newOptimizer(); // the run's constants and weight decay
            copy.restore(running.state());
            return copy;
        };
    }

    /** A finding, shown the moment it is made; {@code epoch} is the last epoch trained, -1 before training. */
    void finding(Finding f) {
        if (active()) {
            log.append(Events.finding(f, epoch));
        }
    }

    void findings(List<Finding> fs) {
        fs.forEach(this::finding);
    }

    /**
     * The evaluation of {@code setup}'s trained network on {@code data}, titled {@code set}: a
     * classifier's loss (mean per sample), accuracy and confusion matrix, or a regression model's
     * errors per target in the targets' own units, with its predicted-against-true points
     * ({@code measured}, where the run measured them already; else null).
     */
    void evaluation(String set, Setup setup, Dataset data, RegressionMetrics measured) {
        if (!active()) {
            return;
        }
        if (data.isRegression()) {
            log.append(Events.regressionEvaluation(set, measured != null ? measured
                    : Regression.measure(setup.network(), data, setup.start().targetStandardization())));
        } else {
            log.append(Report.evaluation(set, setup.network(), data));
        }
    }

    /** The evaluation of a model, as {@code evaluate} computed it. */
    void evaluation(Map<String, Object> event) {
        if (active()) {
            log.append(event);
        }
    }

    /** The run is over: the end event, then the report when asked for. */
    void ended(String status, double seconds) {
        if (!active()) {
            return;
        }
        log.append(Events.end(status, seconds));
        if (report != null) {
            try {
                Report.write(log, report);
            } catch (IOException e) {
                throw new WriteFailure("--report", report, e);
            }
        }
    }

    /** Says where the report and the page are; with {@code --live}, serves the finished run until Ctrl-C. */
    void serve(PrintWriter out) {
        if (report != null) {
            out.println("report: " + report);
        }
        if (server == null) {
            out.flush();
            return;
        }
        out.println("live page: " + server.url() + " (the finished run; Ctrl-C to stop)");
        out.flush();
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by the program that embeds this command
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
