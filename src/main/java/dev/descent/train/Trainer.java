package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop. Each step reads: forward, zero gradients, backward (or finite differences),
 * update. An epoch is one step on the full batch, or one pass over the data in mini-batches whose
 * order is a shuffle seeded by the shuffle seed and the epoch number ({@link LocalEpochs}); or
 * whatever {@link Epochs} it is given, such as distributed ones.
 *
 * <p>The trainer holds the policy around the epochs and does not know how a step is computed;
 * it asks its {@link TrainingStep}. It
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

    /**
     * A trainer for epochs whose steps run elsewhere (distributed, say): only
     * {@link #fit(Network, Epochs, TrainingState)}, which is given them, can use it.
     */
    public Trainer(Optimizer optimizer, int epochs) {
        this(null, null, optimizer, epochs);
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
        if (step == null) {
            throw new IllegalStateException("this trainer has no step of its own: give fit the Epochs that run its steps");
        }
        return fit(network, new LocalEpochs(step, loss, data, validation, batchSize, shuffleSeed), state);
    }

    /**
     * Trains {@code network} in place by {@code epochs}' steps (on this machine, or distributed),
     * from its current parameters or, when {@code state} is not null, continuing the run that
     * state was saved from; returns its history.
     */
    public History fit(Network network, Epochs epochs, TrainingState state) {
        if (patience > 0 && !epochs.hasHeldOut()) {
            throw new IllegalStateException("early stopping needs a validation set");
        }
        Run run = new Run(network, epochs);
        History history = run.history;
        if (state == null) {
            run.start();
        } else {
            run.resume(state);
        }
        for (int epoch = run.nextEpoch; epoch <= this.epochs && history.stopReason() == null; epoch++) {
            if (!run.epoch(epoch)) {
                break;
            }
        }
        if (run.best != null && !history.diverged() && !history.interrupted()) {
            network.restore(run.best.parameters());
            history.restored(run.best.epoch());
        }
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    /**
     * One run's moving parts: its epochs, where it is, its history, its early-stopping record, and
     * what its listeners asked for (a learning rate, a stop).
     */
    private final class Run implements TrainingListener.Steering {
        final Network network;
        final Epochs epochs;
        final History history = new History();
        TrainingState.Best best;
        int nextEpoch = 1;
        Epochs.Progress resumeFrom = Epochs.Progress.START, last;
        Double rateSet;
        String stopAsked;

        Run(Network network, Epochs epochs) {
            this.network = network;
            this.epochs = epochs;
        }

        /** Epoch 0: the row of the starting parameters, and a first checkpoint to go back to. */
        void start() {
            History.Row initial = row(0, epochs.training(network), 0);
            history.add(initial);
            best = patience > 0 ? new TrainingState.Best(0, initial.validationLoss(), network.snapshot()) : null;
            listeners.forEach(l -> l.onStart(network, Trainer.this.epochs, initial, this));
            if (!Double.isFinite(initial.loss())) {
                history.stop("the loss is " + initial.loss() + " at the starting parameters");
            } else if (checkpoints != null) {
                checkpoints.save(state(0, Epochs.Progress.START)); // so there is always a good state to go back to
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
            resumeFrom = new Epochs.Progress(s.batch(), s.partialLoss(), s.partialCorrect());
            listeners.forEach(l -> l.onStart(network, Trainer.this.epochs, history.first(), this));
        }

        /** Trains epoch e and records it; false when the run stops here. */
        boolean epoch(int epoch) {
            long start = System.nanoTime();
            if (rateSet != null) {
                optimizer.learningRate(rateSet);
            } else if (schedule != null) {
                optimizer.learningRate(schedule.rate(epoch));
            }
            int steps = epochs.steps();
            Evaluation trained = epochs.run(epoch, resumeFrom, network, optimizer, (e, progress, samples) -> {
                listeners.forEach(l -> l.onBatch(e, progress.steps(), steps, samples, progress.loss() / samples));
                last = progress;
                return progress.steps() < steps && checkpoints != null && checkpoints.stopRequested();
            });
            resumeFrom = Epochs.Progress.START;
            if (trained == null) { // stopped mid-epoch at the checkpoints' request: save where it stands
                checkpoints.save(state(epoch - 1, last));
                history.interrupt("stopped on request in epoch " + epoch + " after batch " + last.steps() + " of "
                        + steps);
                return false;
            }
            History.Row row = row(epoch, trained, (System.nanoTime() - start) / 1e9);
            history.add(row);
            listeners.forEach(l -> l.onEpoch(row, this));
            if (!Double.isFinite(row.loss())) {
                history.stop("the loss became " + row.loss() + " at epoch " + epoch);
                return false; // nothing is saved after this: the last checkpoint stays the last good one
            }
            if (best != null && improved(row)) {
                history.stop("early stopping: the validation loss has not improved for " + patience
                        + " epochs since epoch " + best.epoch());
            }
            if (stopAsked != null && history.stopReason() == null) {
                history.stop(stopAsked);
            }
            boolean asked = checkpoints != null && checkpoints.stopRequested();
            if (checkpoints != null && (epoch % checkpoints.every() == 0 || epoch == Trainer.this.epochs
                    || history.stopReason() != null || asked)) {
                checkpoints.save(state(epoch, Epochs.Progress.START));
            }
            if (asked && history.stopReason() == null) {
                history.interrupt("stopped on request after epoch " + epoch);
            }
            return true;
        }

        @Override
        public List<History.Row> history() {
            return history.rows();
        }

        @Override
        public double learningRate() {
            return optimizer.learningRate();
        }

        @Override
        public void learningRate(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("a learning rate must be positive and finite, got " + rate);
            }
            rateSet = rate;
        }

        @Override
        public void stop(String reason) {
            stopAsked = reason;
        }

        private History.Row row(int epoch, Evaluation trained, double seconds) {
            double vLoss = Double.NaN, vAccuracy = Double.NaN;
            if (epochs.hasHeldOut() && Double.isFinite(trained.loss())) {
                Evaluation v = epochs.heldOut(network);
                vLoss = v.loss();
                vAccuracy = v.accuracy();
            }
            if (!epochs.classifies()) { // regression: no classes to be right about
                return new History.Row(epoch, trained.loss(), Double.NaN, vLoss, Double.NaN, seconds);
            }
            return new History.Row(epoch, trained.loss(), trained.accuracy(), vLoss, vAccuracy, seconds);
        }

        TrainingState state(int epoch, Epochs.Progress within) {
            return new TrainingState(epoch, within.steps(), within.loss(), within.correct(), history.rows(),
                    network.snapshot(), optimizer.state(), best);
        }

        /** Records a validation improvement; returns true when patience has run out. */
        boolean improved(History.Row row) {
            if (row.validationLoss() < best.loss()) {
                best = new TrainingState.Best(row.epoch(), row.validationLoss(), network.snapshot());
            }
            return row.epoch() - best.epoch() >= patience;
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
