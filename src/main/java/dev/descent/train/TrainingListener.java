package dev.descent.train;

import dev.descent.network.Network;

/** Watches a training run: progress bars, printed losses, the doctor's checks. */
public interface TrainingListener {
    /** Before the first step, with the row of the starting parameters (epoch 0). */
    default void onStart(Network network, int epochs, History.Row initial) {}

    /**
     * After each mini-batch step. It watches: it must not change the network's parameters, which
     * the next step takes to be as the last one left them.
     *
     * @param samples     samples seen so far this epoch
     * @param runningLoss mean loss per batch so far this epoch
     */
    default void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {}

    /** After each epoch, with its row. */
    default void onEpoch(History.Row row) {}

    /** When training is over, normally or not. */
    default void onEnd(History history) {}
}
