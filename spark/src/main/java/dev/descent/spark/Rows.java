package dev.descent.spark;

import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SampleWeighted;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.io.Serializable;

/**
 * The training (or held-out) rows of one block, as the library keeps a data set: the features
 * ({@link Storage}), each row's class, and for regression its target, and each row's weight.
 *
 * <p>What a batch's labels are follows the library's losses: a row's class for an unweighted
 * classifier; otherwise the row's own index, which the loss reads its target and its weight by
 * (a regression loss's targets, {@link SampleWeighted}).
 *
 * @param labels  class index of each row; for regression the identity 0, 1, ... (the row's index into targets)
 * @param targets regression: each row's target; null for a classifier
 * @param weights each row's weight, scaled so that the training rows' weights average 1; null when unweighted
 */
record Rows(Storage features, int[] labels, double[] targets, double[] weights) implements Serializable {
    int count() {
        return labels.length;
    }

    /** Bytes held: features, labels, targets, weights. */
    long bytes() {
        return features.bytes() + 4L * labels.length + (targets == null ? 0 : 8L * targets.length)
                + (weights == null ? 0 : 8L * weights.length);
    }

    /** The labels of rows order[from, from + count) as the loss of {@link #loss} reads them. */
    int[] batchLabels(int[] order, int from, int count) {
        int[] out = new int[count];
        boolean indices = weights != null;
        for (int i = 0; i < count; i++) {
            out[i] = indices ? order[from + i] : labels[order[from + i]];
        }
        return out;
    }

    /** The run's loss over these rows, reduced by {@code reduction}, weighted when the rows are. */
    Loss loss(Plan plan, Reduction reduction) {
        Loss base = plan.loss(reduction, targets);
        return weights == null ? base : new SampleWeighted(base, labels, weights);
    }

    /**
     * The weight of the rows of a batch, by {@code batchLabels}, that {@code output} classifies
     * right: how many for unweighted rows; 0 for regression.
     */
    double correct(Plan plan, Matrix output, int[] batchLabels) {
        if (!plan.classifies()) {
            return 0;
        }
        double right = 0;
        for (int r = 0; r < batchLabels.length; r++) {
            int y = weights == null ? batchLabels[r] : labels[batchLabels[r]];
            if (MatrixOps.argmaxRow(output, r) == y) {
                right += weights == null ? 1 : weights[batchLabels[r]];
            }
        }
        return right;
    }

    /** The summed weight of rows order[from, from + count): how many, unweighted. */
    double weight(int[] order, int from, int count) {
        if (weights == null) {
            return count;
        }
        double w = 0;
        for (int i = 0; i < count; i++) {
            w += weights[order[from + i]];
        }
        return w;
    }
}
