package dev.descent.spark;

import dev.descent.fused.FusedBackprop;
import dev.descent.loss.Huber;
import dev.descent.loss.Loss;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.io.Serializable;
import java.util.List;

/**
 * What every task of a run needs to know besides θ and its rows: the network's shape, the number
 * type, the optimizer, the batch size and the seed. Sent once with each task; θ goes by
 * broadcast. The loss is the library's: softmax cross-entropy over {@code classes} outputs, or
 * for regression ({@code loss} mse or huber) a regression loss of one linear output against the
 * block's targets.
 *
 * @param hidden        hidden layer widths
 * @param batchSize     exact: rows per global step; averaged: rows per local step of each partition
 * @param classes       outputs: the classes, or 1 (the target) for regression
 * @param averagingSteps averaged: local steps between two averagings, 0 for once per epoch
 * @param loss          {@link #CROSS_ENTROPY}, {@code mse} or {@code huber}
 * @param huberDelta    huber: where the penalty turns from quadratic to linear
 */
record Recipe(int inputs, List<Integer> hidden, String activation, int classes, String dtype, String optimizer,
        double learningRate, int batchSize, long seed, int averagingSteps, String loss, double huberDelta)
        implements Serializable {
    static final String CROSS_ENTROPY = "cross-entropy";

    Recipe {
        hidden = List.copyOf(hidden);
        if (!List.of(CROSS_ENTROPY, "mse", "huber").contains(loss)) {
            throw new IllegalArgumentException("loss " + loss + ": cross-entropy, mse or huber");
        }
    }

    /** A classifier's recipe: softmax cross-entropy. */
    Recipe(int inputs, List<Integer> hidden, String activation, int classes, String dtype, String optimizer,
           double learningRate, int batchSize, long seed, int averagingSteps) {
        this(inputs, hidden, activation, classes, dtype, optimizer, learningRate, batchSize, seed, averagingSteps,
                CROSS_ENTROPY, Huber.DEFAULT_DELTA);
    }

    boolean regression() {
        return !loss.equals(CROSS_ENTROPY);
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

    /**
     * This recipe's loss; a regression loss over {@code targets}, one per row, which a batch's
     * labels index (a block's targets and its row indices: {@link Block}). Null targets for a
     * classifier.
     */
    Loss loss(Reduction reduction, double[] targets) {
        if (!regression()) {
            return new SoftmaxCrossEntropy(reduction);
        }
        Matrix y = new Matrix(targets.length, 1, targets);
        return loss.equals("mse") ? new MeanSquaredError(reduction, y) : new Huber(reduction, y, huberDelta);
    }

    /** Rows of {@code output} classified right: 0 for regression, which has no classes. */
    int correct(Matrix output, int[] labels) {
        return regression() ? 0 : dev.descent.train.Evaluation.countCorrect(output, labels);
    }
}
