package dev.descent.spark;

import dev.descent.checkpoint.Checkpoint;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import dev.descent.train.TrainingListener;
import dev.descent.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver's epoch loop, the library trainer's ({@code Trainer.fit}) over distributed steps:
 * epoch 0 evaluated at the starting θ; then per epoch the mode's synchronisations, a row of the
 * epoch's training loss (the mean of its batch losses, each before its step) and held-out loss,
 * the listeners told, the loss checked for NaN, early stopping on the held-out loss with the best
 * θ kept, and a checkpoint written between epochs (the library's checkpoint file). A run given
 * a directory that holds a checkpoint continues from it, ending as the uninterrupted run would.
 */
final class DistributedTrainer {
    /** How a fit is set up: the run's settings as text, to refuse resuming a checkpoint of other settings. */
    record Settings(int epochs, int patience, Path checkpointDir, List<String> args, int depth) {}

    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final Summary summary;
    private final Recipe recipe;
    private final Mode mode;
    private final Settings settings;
    private final List<TrainingListener> listeners;

    DistributedTrainer(JavaSparkContext sc, JavaRDD<Block> blocks, Summary summary, Recipe recipe, Mode mode,
                       Settings settings, List<TrainingListener> listeners) {
        this.sc = sc;
        this.blocks = blocks;
        this.summary = summary;
        this.recipe = recipe;
        this.mode = mode;
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
    }

    /** Trains {@code network} in place from its θ (or the checkpoint's) and returns its history. */
    History fit(Network network, Optimizer optimizer) {
        List<History.Row> rows = new ArrayList<>();
        TrainingState.Best best = null;
        String run = UUID.randomUUID().toString();
        int first = 1;
        Checkpoint saved = readCheckpoint(network, optimizer);
        if (saved != null) {
            TrainingState s = saved.state();
            network.restore(s.parameters());
            optimizer.restore(s.optimizer());
            rows.addAll(s.rows());
            best = s.best();
            run = saved.run();
            first = s.epoch() + 1;
            History.Row initial = rows.get(0);
            listeners.forEach(l -> l.onStart(network, settings.epochs(), initial));
        } else {
            History.Row initial = row(0, Evaluations.of(sc, blocks, recipe, network, false, settings.depth()), network, 0);
            rows.add(initial);
            if (settings.patience() > 0) {
                best = new TrainingState.Best(0, initial.validationLoss(), network.snapshot());
            }
            listeners.forEach(l -> l.onStart(network, settings.epochs(), initial));
        }
        String stop = null;
        int syncs = mode.syncsPerEpoch(summary);
        for (int epoch = first; epoch <= settings.epochs() && stop == null; epoch++) {
            long start = System.nanoTime();
            Partial trained = new Partial();
            for (int k = 0; k < syncs; k++) {
                trained.add(mode.sync(epoch, k, summary, network, optimizer));
                int e = epoch, batch = k + 1;
                double running = trained.rows == 0 ? 0 : trained.loss / trained.rows;
                int seen = (int) trained.rows;
                listeners.forEach(l -> l.onBatch(e, batch, syncs, seen, running));
            }
            Evaluation e = new Evaluation(trained.loss / trained.rows, (int) trained.correct, (int) trained.rows);
            History.Row row = row(epoch, e, network, (System.nanoTime() - start) / 1e9);
            rows.add(row);
            listeners.forEach(l -> l.onEpoch(row));
            if (!Double.isFinite(row.loss())) {
                stop = "the loss became " + row.loss() + " at epoch " + epoch;
                break; // nothing is saved after this: the last checkpoint stays the last good one
            }
            if (best != null) {
                if (row.validationLoss() < best.loss()) {
                    best = new TrainingState.Best(epoch, row.validationLoss(), network.snapshot());
                }
                if (epoch - best.epoch() >= settings.patience()) {
                    stop = "early stopping: the validation loss has not improved for " + settings.patience()
                            + " epochs since epoch " + best.epoch();
                }
            }
            save(run, new TrainingState(epoch, 0, 0, 0, rows, network.snapshot(), optimizer.state(), best));
        }
        int restored = -1;
        if (best != null && Double.isFinite(rows.get(rows.size() - 1).loss())) {
            network.restore(best.parameters());
            restored = best.epoch();
        }
        History history = History.of(rows, stop, restored);
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    private History.Row row(int epoch, Evaluation trained, Network network, double seconds) {
        double vLoss = Double.NaN, vAccuracy = Double.NaN;
        if (summary.validationRows() > 0 && Double.isFinite(trained.loss())) {
            Evaluation v = Evaluations.of(sc, blocks, recipe, network, true, settings.depth());
            vLoss = v.loss();
            vAccuracy = v.accuracy();
        }
        return new History.Row(epoch, trained.loss(), trained.accuracy(), vLoss, vAccuracy, seconds);
    }

    private Checkpoint readCheckpoint(Network network, Optimizer optimizer) {
        Path dir = settings.checkpointDir();
        if (dir == null || !Files.exists(CheckpointFile.in(dir))) {
            return null;
        }
        try {
            Checkpoint c = CheckpointFile.read(dir);
            if (!c.args().equals(settings.args())) {
                throw new IllegalArgumentException("the checkpoint in " + dir + " was saved by a fit with other settings: "
                        + c.args() + ", not " + settings.args() + "; give a new checkpointDir for a new run");
            }
            if (!c.dataFingerprint().equals(summary.fingerprint())) {
                throw new IllegalArgumentException("the checkpoint in " + dir + " was saved on other data (or other "
                        + "partitions of it): fingerprint " + c.dataFingerprint() + ", now " + summary.fingerprint());
            }
            CheckpointFile.checkFits(c, network.snapshot(), settings.epochs(), (int) summary.trainRows(),
                    mode.syncsPerEpoch(summary), optimizer.state());
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void save(String run, TrainingState state) {
        if (settings.checkpointDir() == null) {
            return;
        }
        try {
            CheckpointFile.write(settings.checkpointDir(), new Checkpoint(run, settings.args(), summary.fingerprint(), state));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint in " + settings.checkpointDir(), e);
        }
    }
}
