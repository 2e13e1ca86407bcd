package dev.descent.spark;

import dev.descent.fused.FusedBackprop;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Dtype;
import java.io.Serializable;
import java.util.List;

/**
 * What every task of a run needs to know besides θ and its rows: the network's shape, the number
 * type, the optimizer, the batch size and the seed. Sent once with each task; θ goes by
 * broadcast. Losses are the mean cross-entropy of the library's data recipe.
 *
 * @param hidden        hidden layer widths
 * @param batchSize     exact: rows per global step; averaged: rows per local step of each partition
 * @param averagingSteps averaged: local steps between two averagings, 0 for once per epoch
 */
record Recipe(int inputs, List<Integer> hidden, String activation, int classes, String dtype, String optimizer,
        double learningRate, int batchSize, long seed, int averagingSteps) implements Serializable {
    Recipe {
        hidden = List.copyOf(hidden);
    }

    Architecture architecture() {
        return new Architecture(inputs, hidden, activation, classes);
    }

    /** A network of this shape holding θ. */
    Network network(double[] theta) {
        Network network = architecture().build();
        Theta.write(theta, network);
        return network;
    }

    Optimizer newOptimizer() {
        return Optimizers.create(optimizer, learningRate);
    }

    /** The library's fast step, in this run's number type. */
    FusedBackprop step() {
        return new FusedBackprop(Dtype.of(dtype));
    }

    static SoftmaxCrossEntropy loss(Reduction reduction) {
        return new SoftmaxCrossEntropy(reduction);
    }
}
