package dev.descent.metrics;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.util.Arrays;

/**
 * What a model scores on a labelled data set: a classifier's loss and confusion matrix, or a
 * regression model's errors per target in the targets' own units. What {@code descent evaluate}
 * prints, and what {@code Model.evaluate} gives a Java program.
 */
public sealed interface Scores permits Scores.Classes, Scores.Targets {
    /** The samples scored. */
    long samples();

    /**
     * A classifier's scores.
     *
     * @param loss      cross-entropy, mean per sample
     * @param confusion true against predicted class: accuracy, per-class and averaged metrics
     */
    record Classes(double loss, ConfusionMatrix confusion) implements Scores {
        /**
         * The scores of {@code network} on {@code data} (its features as the network takes them),
         * in one forward pass per batch.
         *
         * @throws IllegalArgumentException naming the row, when the network's outputs overflow
         */
        public static Classes of(Network network, Dataset data) {
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
            ConfusionMatrix m = new ConfusionMatrix(data.classNames());
            double[] summed = {0};
            int rows = network.inputShape() != null ? Network.IMAGES_AT_ONCE : RegressionMetrics.BATCH;
            Batches.inOrder(data.features(), rows, (from, x) -> {
                Matrix logits = network.forward(x);
                Overflows.refuse(logits, from);
                int[] labels = Arrays.copyOfRange(data.labels(), from, from + x.rows());
                summed[0] += loss.forward(logits, labels) * x.rows();
                for (int r = 0; r < x.rows(); r++) {
                    m.add(labels[r], MatrixOps.argmaxRow(logits, r));
                }
            });
            return new Classes(data.size() == 0 ? Double.NaN : summed[0] / data.size(), m);
        }

        @Override
        public long samples() {
            return confusion.count();
        }

        public double accuracy() {
            return confusion.accuracy();
        }

        public long correct() {
            return confusion.correct();
        }
    }

    /** A regression model's errors per target (MSE, RMSE, MAE, R²), in the targets' own units. */
    record Targets(RegressionMetrics errors) implements Scores {
        @Override
        public long samples() {
            return errors.count();
        }
    }
}
