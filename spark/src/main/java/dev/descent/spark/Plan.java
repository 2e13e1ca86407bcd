package dev.descent.spark;

import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import dev.descent.train.Evaluation;
import java.io.Serializable;

/**
 * What every task of a distributed run needs besides θ and its rows: the library's
 * {@link Recipe} (the run, as {@code descent train} would run it), the network's input and output
 * widths, and how often averaged mode averages. Sent once with each task; θ goes by broadcast.
 *
 * @param outputs        the classes, or 1 (the target) for regression
 * @param averagingSteps averaged mode: local steps between two averagings, 0 for once per epoch
 */
record Plan(Recipe recipe, int inputs, int outputs, int averagingSteps) implements Serializable {
    boolean classifies() {
        return recipe.task() == Recipe.Task.CLASSIFICATION;
    }

    /** Exact mode: rows per global step; averaged: rows per local step of each partition. */
    int batchSize() {
        return recipe.batch();
    }

    /** A network of the recipe's shape holding θ. */
    Network network(double[] theta) {
        Network network = recipe.build(inputs, outputs);
        Theta.write(theta, network);
        return network;
    }

    /** The recipe's optimizer, at epoch {@code epoch}'s learning rate. */
    Optimizer newOptimizer(int epoch) {
        Optimizer optimizer = recipe.newOptimizer();
        if (!recipe.schedule().isConstant()) {
            optimizer.learningRate(recipe.schedule().rate(epoch));
        }
        return optimizer;
    }

    /** The gradients the recipe's step descends along: the library's fused backprop. */
    GradientSource gradients() {
        return recipe.step().gradients();
    }

    /**
     * The recipe's loss, reduced by {@code reduction}; for regression over {@code targets}, one
     * per row, which a batch's labels index ({@link Block}); targets are null for a classifier.
     */
    Loss loss(Reduction reduction, double[] targets) {
        return recipe.withReduction(reduction).loss(targets == null ? null : new Matrix(targets.length, 1, targets));
    }

    /** Rows of {@code output} classified right: 0 for regression, which has no classes. */
    int correct(Matrix output, int[] labels) {
        return classifies() ? Evaluation.countCorrect(output, labels) : 0;
    }
}
