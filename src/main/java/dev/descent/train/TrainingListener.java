package dev.descent.train;

import dev.descent.network.Network;

/** Watches a training run: progress bars, printed losses, the doctor's checks. */
public interface TrainingListener {
    /** Before the first step, with the evaluation of the starting parameters. */
    default void onStart(Network network, int epochs, Evaluation initial) {}

    /** After each epoch's update, with the evaluation of the new parameters. */
    default void onEpoch(int epoch, Evaluation evaluation) {}

    /** When training is over, normally or not. */
    default void onEnd(History history) {}
}
