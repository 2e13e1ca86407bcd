package dev.descent.train;

import dev.descent.network.Network;
import dev.descent.optim.Optimizer;

/**
 * How one epoch's steps are run, and how the data is evaluated between epochs: on this
 * machine's cores ({@link LocalEpochs}), or across a cluster (Descent on Spark). The
 * {@link Trainer} holds the policy around them, the same for both: epoch 0's row, the learning
 * rate of each epoch, the listeners, the stop when the loss is no longer finite, early stopping
 * with the best θ, checkpoints, and continuing a saved run.
 */
public interface Epochs {
    /** Steps in one epoch. */
    int steps();

    /** Whether the network's outputs are classes, so that accuracy means something (not for regression). */
    boolean classifies();

    /** Whether there is held-out data, evaluated after every epoch and watched by early stopping. */
    boolean hasHeldOut();

    /** The training data's loss and accuracy at θ as the network holds it: the row of epoch 0. */
    Evaluation training(Network network);

    /** The held-out data's loss and accuracy at θ as the network holds it; only where {@link #hasHeldOut()}. */
    Evaluation heldOut(Network network);

    /**
     * Runs the steps of epoch {@code epoch} (from 1) that follow {@code from} (the steps already
     * taken in this epoch, {@link Progress#START} for all of them), the optimizer updating the
     * network's θ. After each step {@code after} is told where the epoch stands, and may ask to
     * stop before the next one.
     *
     * @return the epoch's training loss and accuracy, or null when {@code after} stopped it part-way
     */
    Evaluation run(int epoch, Progress from, Network network, Optimizer optimizer, AfterStep after);

    /**
     * Where an epoch stands.
     *
     * @param steps   steps taken
     * @param loss    over the samples of those steps, the loss of each summed, taken before its step
     * @param correct of those samples, the ones classified right before their step
     */
    record Progress(int steps, double loss, int correct) {
        /** An epoch before its first step. */
        public static final Progress START = new Progress(0, 0, 0);
    }

    /** Told after each step of an epoch. */
    @FunctionalInterface
    interface AfterStep {
        /**
         * @param samples samples seen so far in the epoch
         * @return true to stop before the next step
         */
        boolean stop(int epoch, Progress progress, int samples);
    }
}
