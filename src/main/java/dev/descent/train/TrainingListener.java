package dev.descent.train;

import dev.descent.network.Network;

/**
 * Watches a training run (progress bars, printed losses, the doctor's checks, the live page), and
 * may steer it between epochs: stop it, or set the learning rate of the epochs that follow, as
 * Keras' callbacks and PyTorch Lightning's do ({@link Steering}; {@link ReduceLROnPlateau} and
 * {@link TimeBudget} are two). It never changes the network's parameters, which the next step
 * takes to be as the last one left them.
 */
public interface TrainingListener {
    /** Before the first step, with the row of the starting parameters (epoch 0). */
    default void onStart(Network network, int epochs, History.Row initial) {}

    /**
     * Before the first step of a run, or of a run continued from a checkpoint, which the listener
     * may steer: {@code steering.history()} holds the rows so far (epoch 0 alone, for a new run).
     * By default, {@link #onStart(Network, int, History.Row)}.
     */
    default void onStart(Network network, int epochs, History.Row initial, Steering steering) {
        onStart(network, epochs, initial);
    }

    /**
     * After each mini-batch step.
     *
     * @param samples     samples seen so far this epoch
     * @param runningLoss mean loss per batch so far this epoch
     */
    default void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {}

    /** After each epoch, with its row. */
    default void onEpoch(History.Row row) {}

    /** After each epoch, with its row, which the listener may steer. By default, {@link #onEpoch(History.Row)}. */
    default void onEpoch(History.Row row, Steering steering) {
        onEpoch(row);
    }

    /** When training is over, normally or not. */
    default void onEnd(History history) {}

    /**
     * What a listener may do to the run it watches, between two epochs. The run's rates stay a
     * function of its history, so a run continued from a checkpoint takes the rates the whole run
     * would have, provided a listener sets them from {@link #history()} alone (as
     * {@link ReduceLROnPlateau} does).
     */
    interface Steering {
        /** The rows so far, epoch 0 first. */
        java.util.List<History.Row> history();

        /** The learning rate the steps of the epoch just finished took (or, before the first, will take). */
        double learningRate();

        /** Sets the learning rate of the epochs from the next one on, in place of the schedule's. */
        void learningRate(double rate);

        /** Stops the run after this epoch, for {@code reason}: the history's stop reason. */
        void stop(String reason);
    }
}
