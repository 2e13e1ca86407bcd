package dev.descent.spark;

import dev.descent.network.Network;
import dev.descent.optim.Optimizer;

/** How a distributed run trains between two synchronisations: {@link ExactMode} or {@link AveragedMode}. */
interface Mode {
    /** Whether each synchronisation is one exact step (else local steps, then an average). */
    boolean exact();

    /** Global steps between two synchronisations. */
    int stepsPerSync(Summary summary);

    /** Synchronisations (Spark jobs) in one epoch. */
    int syncsPerEpoch(Summary summary);

    /**
     * Synchronisation {@code index} of epoch {@code epoch}: θ (the network's) is broadcast, the
     * partitions train, and the network and optimizer end holding the result. Returns the loss
     * summed over the rows trained on (each before its step), the rows right, and the rows.
     */
    Partial sync(int epoch, int index, Summary summary, Network network, Optimizer optimizer);
}
