package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Full-batch training: each epoch is one step of forward, zero gradients, backward (or finite
 * differences), update, then an evaluation of the new parameters for the history.
 *
 * <p>The trainer does not know where gradients come from; it asks its {@link GradientSource}.
 * It stops early, with {@link History#stopReason()} saying why, when the loss stops being a
 * finite number: nothing after that point would mean anything.
 */
public final class Trainer {
    private final GradientSource gradients;
    private final Loss loss;
    private final Optimizer optimizer;
    private final int epochs;
    private final List<TrainingListener> listeners = new ArrayList<>();

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

    /** Trains {@code network} in place on {@code data} and returns its history. */
    public History fit(Network network, Dataset data) {
        History history = new History();
        Evaluation initial = Evaluation.of(network, loss, data);
        history.add(0, initial);
        listeners.forEach(l -> l.onStart(network, epochs, initial));
        if (!Double.isFinite(initial.loss())) {
            history.stop("the loss is " + initial.loss() + " at the starting parameters");
        }
        for (int epoch = 1; epoch <= epochs && history.stopReason() == null; epoch++) {
            gradients.computeGradients(network, loss, data.features(), data.labels());
            optimizer.step(network.parameters());
            Evaluation e = Evaluation.of(network, loss, data);
            history.add(epoch, e);
            int done = epoch;
            listeners.forEach(l -> l.onEpoch(done, e));
            if (!Double.isFinite(e.loss())) {
                history.stop("the loss became " + e.loss() + " at epoch " + epoch);
            }
        }
        listeners.forEach(l -> l.onEnd(history));
        return history;
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
