package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training loop. Each step reads: forward, zero gradients, backward (or finite differences),
 * update. An epoch is one step on the full batch, or one pass over the data in mini-batches
 * reshuffled every epoch by a seeded generator.
 *
 * <p>The trainer does not know where gradients come from; it asks its {@link GradientSource}. It
 * stops early, with {@link History#stopReason()} saying why, when the loss stops being a finite
 * number, or when the validation loss has not improved for {@code patience} epochs; with a
 * patience set it ends holding the parameters of the best validation epoch.
 */
public final class Trainer {
    /** Batch size meaning "the whole training set". */
    public static final int FULL_BATCH = Integer.MAX_VALUE;

    private final GradientSource gradients;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int batchSize = FULL_BATCH;
    private long shuffleSeed = 0;
    private Dataset validation;
    private int patience = 0;

    public Trainer(GradientSource gradients, Loss loss, Optimizer optimizer, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.gradients = gradients;
        this.loss = loss;
        this.optimizer = optimizer;
        this.epochs = epochs;
    }

    public Trainer listener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Mini-batches of {@code size} samples (the last may be smaller); {@link #FULL_BATCH} for all. */
    public Trainer batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + size);
        }
        this.batchSize = size;
        return this;
    }

    /** Seed of the generator that reshuffles the mini-batches every epoch. */
    public Trainer shuffleSeed(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /** A data set evaluated after every epoch, never trained on. */
    public Trainer validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    /** Stop when the validation loss has not improved for this many epochs, keeping the best parameters. */
    public Trainer patience(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, got " + epochs);
        }
        this.patience = epochs;
        return this;
    }

    /** Trains {@code network} in place on {@code data} and returns its history. */
    public History fit(Network network, Dataset data) {
        if (patience > 0 && validation == null) {
            throw new IllegalStateException("early stopping needs a validation set");
        }
        History history = new History();
        History.Row initial = row(0, Evaluation.of(network, loss, data), network, 0);
        history.add(initial);
        listeners.forEach(l -> l.onStart(network, epochs, initial));
        if (!Double.isFinite(initial.loss())) {
            history.stop("the loss is " + initial.loss() + " at the starting parameters");
        }
        EarlyStopping best = patience > 0 ? new EarlyStopping(network, initial) : null;
        Batches batches = data.size() <= batchSize ? null : new Batches(data, batchSize, new Random(shuffleSeed));
        Matrix all = batches == null ? data.featureMatrix() : null;
        for (int epoch = 1; epoch <= epochs && history.stopReason() == null; epoch++) {
            long start = System.nanoTime();
            Evaluation trained = batches == null ? fullBatchEpoch(network, data, all) : batches.epoch(epoch, network);
            History.Row row = row(epoch, trained, network, (System.nanoTime() - start) / 1e9);
            history.add(row);
            listeners.forEach(l -> l.onEpoch(row));
            if (!Double.isFinite(row.loss())) {
                history.stop("the loss became " + row.loss() + " at epoch " + epoch);
            } else if (best != null && best.update(row, network)) {
                history.stop("early stopping: the validation loss has not improved for " + patience
                        + " epochs since epoch " + best.epoch);
            }
        }
        if (best != null && !history.diverged()) {
            network.restore(best.parameters);
            history.restored(best.epoch);
        }
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    private Evaluation fullBatchEpoch(Network network, Dataset data, Matrix all) {
        gradients.computeGradients(network, loss, all, data.labels());
        optimizer.step(network.parameters());
        return Evaluation.batch(network, loss, all, data.labels());
    }

    private History.Row row(int epoch, Evaluation trained, Network network, double seconds) {
        double vLoss = Double.NaN, vAccuracy = Double.NaN;
        if (validation != null && Double.isFinite(trained.loss())) {
            Evaluation v = Evaluation.of(network, loss, validation);
            vLoss = v.loss();
            vAccuracy = v.accuracy();
        }
        return new History.Row(epoch, trained.loss(), trained.accuracy(), vLoss, vAccuracy, seconds);
    }

    /** Mini-batches over a shuffled order, with buffers reused from epoch to epoch. */
    private final class Batches {
        private final Dataset data;
        private final int size;
        private final Random rng;
        private final int[] order;
        private final Matrix full;
        private final int[] fullLabels;
        private Matrix tail;
        private int[] tailLabels;

        Batches(Dataset data, int size, Random rng) {
            this.data = data;
            this.size = size;
            this.rng = rng;
            this.order = new int[data.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            this.full = new Matrix(size, data.featureCount());
            this.fullLabels = new int[size];
            int rest = data.size() % size;
            if (rest > 0) {
                tail = new Matrix(rest, data.featureCount());
                tailLabels = new int[rest];
            }
        }

        /** One pass; returns the mean of the batch losses and the accuracy, each taken before its step. */
        Evaluation epoch(int epoch, Network network) {
            Dataset.shuffleInPlace(order, rng);
            int n = data.size(), count = (n + size - 1) / size;
            double summed = 0;
            int correct = 0;
            for (int b = 0, from = 0; from < n; b++, from += size) {
                int rows = Math.min(size, n - from);
                Matrix x = rows == size ? full : tail;
                int[] y = rows == size ? fullLabels : tailLabels;
                data.features().gather(order, from, rows, x);
                for (int i = 0; i < rows; i++) {
                    y[i] = data.labels()[order[from + i]];
                }
                GradientSource.Result r = gradients.computeGradients(network, loss, x, y);
                optimizer.step(network.parameters());
                summed += loss.reduction() == Reduction.SUM ? r.loss() : r.loss() * rows;
                correct += Evaluation.countCorrect(r.output(), y);
                int seen = from + rows, batch = b + 1;
                double running = summed / seen;
                listeners.forEach(l -> l.onBatch(epoch, batch, count, seen, running));
            }
            return new Evaluation(loss.reduction() == Reduction.SUM ? summed : summed / n, correct, n);
        }
    }

    /** The best validation loss so far, its epoch and parameters. */
    private final class EarlyStopping {
        double loss;
        int epoch;
        List<Matrix> parameters;

        EarlyStopping(Network network, History.Row initial) {
            loss = initial.validationLoss();
            epoch = 0;
            parameters = network.snapshot();
        }

        /** Records an improvement; returns true when patience has run out. */
        boolean update(History.Row row, Network network) {
            if (row.validationLoss() < loss) {
                loss = row.validationLoss();
                epoch = row.epoch();
                parameters = network.snapshot();
            }
            return row.epoch() - epoch >= patience;
        }
    }

    public GradientSource gradients() {
        return gradients;
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public int epochs() {
        return epochs;
    }
}
