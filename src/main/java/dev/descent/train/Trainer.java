package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.gradient.GradientSource;
import dev.descent.layers.Dropout;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training loop. Each step reads: forward, zero gradients, backward (or finite differences),
 * update. An epoch is one step on the full batch, or one pass over the data in mini-batches whose
 * order is a shuffle seeded by the shuffle seed and the epoch number.
 *
 * <p>The trainer does not know how a step is computed; it asks its {@link TrainingStep}. It
 * stops early, with {@link History#stopReason()} saying why, when the loss stops being a finite
 * number, when the validation loss has not improved for {@code patience} epochs (ending with the
 * parameters of the best validation epoch), or when its {@link Checkpoints} ask it to. A run
 * continued with {@link #fit(Network, Dataset, TrainingState)} from a saved state ends exactly as
 * the uninterrupted run would.
 */
public final class Trainer {
    /** Batch size meaning "the whole training set". */
    public static final int FULL_BATCH = Integer.MAX_VALUE;

    private final TrainingStep step;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int batchSize = FULL_BATCH;
    private long shuffleSeed = 0;
    private Dataset validation;
    private int patience = 0;
    private Checkpoints checkpoints;
    private LearningRateSchedule schedule;

    /**
     * @param step how each step is computed: {@code new FusedBackprop(dtype)} for backpropagation
     *             (any network), or {@link TrainingStep#of} a gradient source of one's own
     */
    public Trainer(TrainingStep step, Loss loss, Optimizer optimizer, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        this.step = step;
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

    /** Seed of the mini-batch order, which is reshuffled every epoch. */
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

    /**
     * Sets the optimizer's learning rate from {@code schedule} at the start of every epoch. The
     * rate depends on the epoch alone, so a resumed run takes the same rates.
     */
    public Trainer schedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Save the training state here as training goes. */
    public Trainer checkpoints(Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        return this;
    }

    /** Trains {@code network} in place on {@code data} from its current parameters and returns its history. */
    public History fit(Network network, Dataset data) {
        return fit(network, data, null);
    }

    /** Continues the run that {@code state} was saved from (a fresh run when state is null). */
    public History fit(Network network, Dataset data, TrainingState state) {
        if (patience > 0 && validation == null) {
            throw new IllegalStateException("early stopping needs a validation set");
        }
        History history = new History();
        Run run = new Run(network, data, history);
        if (state == null) {
            History.Row initial = row(0, Evaluation.of(network, loss, data), network, 0);
            history.add(initial);
            run.best = patience > 0 ? new TrainingState.Best(0, initial.validationLoss(), network.snapshot()) : null;
            listeners.forEach(l -> l.onStart(network, epochs, initial));
            if (!Double.isFinite(initial.loss())) {
                history.stop("the loss is " + initial.loss() + " at the starting parameters");
            } else if (checkpoints != null) {
                checkpoints.save(run.state(0, 0, 0, 0)); // so there is always a good state to go back to
            }
        } else {
            run.resume(state);
            listeners.forEach(l -> l.onStart(network, epochs, history.first()));
        }
        for (int epoch = run.nextEpoch; epoch <= epochs && history.stopReason() == null; epoch++) {
            long start = System.nanoTime();
            if (schedule != null) {
                optimizer.learningRate(schedule.rate(epoch));
            }
            Evaluation trained = run.epoch(epoch);
            if (trained == null) {
                break; // stopped mid-epoch at the checkpoints' request, state saved
            }
            History.Row row = row(epoch, trained, network, (System.nanoTime() - start) / 1e9);
            history.add(row);
            listeners.forEach(l -> l.onEpoch(row));
            if (!Double.isFinite(row.loss())) {
                history.stop("the loss became " + row.loss() + " at epoch " + epoch);
                break; // nothing is saved after this: the last checkpoint stays the last good one
            }
            if (run.best != null && run.improved(row)) {
                history.stop("early stopping: the validation loss has not improved for " + patience
                        + " epochs since epoch " + run.best.epoch());
            }
            boolean asked = checkpoints != null && checkpoints.stopRequested();
            if (checkpoints != null && (epoch % checkpoints.every() == 0 || epoch == epochs
                    || history.stopReason() != null || asked)) {
                checkpoints.save(run.state(epoch, 0, 0, 0));
            }
            if (asked && history.stopReason() == null) {
                history.interrupt("stopped on request after epoch " + epoch);
            }
        }
        if (run.best != null && !history.diverged() && !history.interrupted()) {
            network.restore(run.best.parameters());
            history.restored(run.best.epoch());
        }
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    private History.Row row(int epoch, Evaluation trained, Network network, double seconds) {
        double vLoss = Double.NaN, vAccuracy = Double.NaN;
        if (validation != null && Double.isFinite(trained.loss())) {
            Evaluation v = Evaluation.of(network, loss, validation);
            vLoss = v.loss();
            vAccuracy = v.accuracy();
        }
        if (!loss.classifies()) { // regression: no classes to be right about
            return new History.Row(epoch, trained.loss(), Double.NaN, vLoss, Double.NaN, seconds);
        }
        return new History.Row(epoch, trained.loss(), trained.accuracy(), vLoss, vAccuracy, seconds);
    }

    /** One run's moving parts: where it is, its buffers, its early-stopping record. */
    private final class Run {
        final Network network;
        final Dataset data;
        final History history;
        final boolean full;
        final Matrix all;
        final int[] order;
        Matrix batchX, tailX;
        int[] batchY, tailY;
        TrainingState.Best best;
        int nextEpoch = 1, resumeBatch;
        double resumeLoss;
        int resumeCorrect;

        Run(Network network, Dataset data, History history) {
            this.network = network;
            this.data = data;
            this.history = history;
            this.full = data.size() <= batchSize;
            this.all = full ? data.featureMatrix() : null;
            this.order = new int[data.size()];
            if (!full) {
                batchX = new Matrix(batchSize, data.featureCount());
                batchY = new int[batchSize];
                int rest = data.size() % batchSize;
                if (rest > 0) {
                    tailX = new Matrix(rest, data.featureCount());
                    tailY = new int[rest];
                }
            }
        }

        void resume(TrainingState s) {
            List<Matrix> now = network.snapshot();
            if (s.parameters().size() != now.size()) {
                throw new IllegalArgumentException("the saved state has " + s.parameters().size()
                        + " tensors but the network has " + now.size());
            }
            for (int i = 0; i < now.size(); i++) {
                if (!s.parameters().get(i).shape().equals(now.get(i).shape())) {
                    throw new IllegalArgumentException("the saved " + network.parameters().get(i).name() + " is "
                            + s.parameters().get(i).shape() + " but the network's is " + now.get(i).shape());
                }
            }
            network.restore(s.parameters());
            optimizer.restore(s.optimizer());
            s.rows().forEach(history::add);
            best = s.best() != null ? s.best()
                    : patience > 0 ? new TrainingState.Best(0, s.rows().get(0).validationLoss(), network.snapshot()) : null;
            nextEpoch = s.epoch() + 1;
            resumeBatch = s.batch();
            resumeLoss = s.partialLoss();
            resumeCorrect = s.partialCorrect();
        }

        TrainingState state(int epoch, int batch, double partialLoss, int partialCorrect) {
            return new TrainingState(epoch, batch, partialLoss, partialCorrect, history.rows(), network.snapshot(),
                    optimizer.state(), best);
        }

        /** Records a validation improvement; returns true when patience has run out. */
        boolean improved(History.Row row) {
            if (row.validationLoss() < best.loss()) {
                best = new TrainingState.Best(row.epoch(), row.validationLoss(), network.snapshot());
            }
            return row.epoch() - best.epoch() >= patience;
        }

        /** Trains one epoch; null when stopped part-way at the checkpoints' request. */
        Evaluation epoch(int epoch) {
            if (full) {
                Dropout.train(network.layers(), key(epoch, 0));
                try {
                    step.step(network, loss, all, data.labels(), optimizer);
                } finally {
                    Dropout.evaluate(network.layers());
                }
                return Evaluation.batch(network, loss, all, data.labels());
            }
            int n = data.size(), count = (n + batchSize - 1) / batchSize;
            shuffle(epoch);
            double summed = resumeLoss;
            int correct = resumeCorrect, stoppedAfter = 0;
            // One run of steps: nothing but the steps reads or changes θ until it closes (listeners only watch).
            try (TrainingStep.Run steps = step.run(network, loss, optimizer)) {
                for (int b = resumeBatch; b < count; b++) {
                    int from = b * batchSize, rows = Math.min(batchSize, n - from);
                    Matrix x = rows == batchSize ? batchX : tailX;
                    int[] y = rows == batchSize ? batchY : tailY;
                    for (int i = 0; i < rows; i++) {
                        y[i] = data.labels()[order[from + i]];
                    }
                    Dropout.train(network.layers(), key(epoch, b));
                    GradientSource.Result r = steps.step(data.features(), order, from, x, y);
                    summed += loss.reduction() == Reduction.SUM ? r.loss() : r.loss() * rows;
                    correct += loss.classifies() ? Evaluation.countCorrect(r.output(), y) : 0;
                    int seen = from + rows, batch = b + 1;
                    double running = summed / seen;
                    listeners.forEach(l -> l.onBatch(epoch, batch, count, seen, running));
                    if (batch < count && checkpoints != null && checkpoints.stopRequested()) {
                        stoppedAfter = batch;
                        break;
                    }
                }
            } finally {
                Dropout.evaluate(network.layers()); // dropout is for the steps only: evaluation sees the whole network
            }
            if (stoppedAfter > 0) {
                checkpoints.save(state(epoch - 1, stoppedAfter, summed, correct));
                history.interrupt("stopped on request in epoch " + epoch + " after batch " + stoppedAfter + " of "
                        + count);
                return null;
            }
            resumeBatch = 0;
            resumeLoss = 0;
            resumeCorrect = 0;
            return new Evaluation(loss.reduction() == Reduction.SUM ? summed : summed / n, correct, n);
        }

        /** The dropout masks' key of batch b of epoch e: from the shuffle seed, e and b alone, so a resume draws the same. */
        long key(int epoch, int batch) {
            return (shuffleSeed * 0x9E3779B97F4A7C15L + epoch) * 0xC2B2AE3D27D4EB4FL + batch;
        }

        /** The order of epoch e: 0..n-1 shuffled by a generator seeded from the shuffle seed and e alone. */
        void shuffle(int epoch) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Dataset.shuffleInPlace(order, new Random(shuffleSeed * 0x9E3779B97F4A7C15L + epoch));
        }
    }

    /** How each step is computed. */
    public TrainingStep step() {
        return step;
    }

    /** The gradients the steps descend along: what a gradient check of this run checks. */
    public GradientSource gradients() {
        return step.gradients();
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
