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
     * @param confusion true against predicted class: accuracy, per-class and averaged metrics,
     *                  balanced accuracy
     * @param ranks     ranks[r]: the samples whose true class had the (r+1)-th highest score, ties going
     *                  to the lower class index as the predicted class does; top-k accuracy from them
     * @param roc       for two classes, the ROC curve of the second class's probability (the positive
     *                  class, as scikit-learn takes the larger label); else null
     */
    record Classes(double loss, ConfusionMatrix confusion, long[] ranks, Roc roc) implements Scores {
        /** Scores without ranks or a curve (a confusion matrix from elsewhere). */
        public Classes(double loss, ConfusionMatrix confusion) {
            this(loss, confusion, null, null);
        }

        /**
         * The scores of {@code network} on {@code data} (its features as the network takes them),
         * in one forward pass per batch.
         *
         * @throws IllegalArgumentException naming the row, when the network's outputs overflow
         */
        public static Classes of(Network network, Dataset data) {
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
            int k = data.classCount();
            ConfusionMatrix m = new ConfusionMatrix(data.classNames());
            double[] summed = {0};
            long[] ranks = new long[k];
            double[] positive = k == 2 ? new double[data.size()] : null;
            int rows = network.inputShape() != null ? Network.IMAGES_AT_ONCE : RegressionMetrics.BATCH;
            Batches.inOrder(data.features(), rows, (from, x) -> {
                Matrix logits = network.forward(x);
                Overflows.refuse(logits, from);
                int[] labels = Arrays.copyOfRange(data.labels(), from, from + x.rows());
                summed[0] += loss.forward(logits, labels) * x.rows();
                for (int r = 0; r < x.rows(); r++) {
                    m.add(labels[r], MatrixOps.argmaxRow(logits, r));
                    ranks[rank(logits, r, labels[r])]++;
                }
                if (positive != null) {
                    Matrix p = SoftmaxCrossEntropy.softmax(logits);
                    for (int r = 0; r < x.rows(); r++) {
                        positive[from + r] = p.get(r, 1);
                    }
                }
            });
            Roc roc = null;
            if (positive != null) {
                boolean[] isPositive = new boolean[data.size()];
                for (int i = 0; i < isPositive.length; i++) {
                    isPositive[i] = data.labels()[i] == 1;
                }
                roc = Roc.of(positive, isPositive);
            }
            return new Classes(data.size() == 0 ? Double.NaN : summed[0] / data.size(), m, ranks, roc);
        }

        /** The place of class y among row r's scores, from 0: higher scores first, ties to the lower index. */
        static int rank(Matrix scores, int r, int y) {
            double own = scores.get(r, y);
            int above = 0;
            for (int c = 0; c < scores.cols(); c++) {
                double v = scores.get(r, c);
                above += v > own || v == own && c < y ? 1 : 0;
            }
            return above;
        }

        /**
         * The share of samples whose true class is among the {@code k} highest scores (scikit-learn's
         * {@code top_k_accuracy_score}); 1 from k = the number of classes, accuracy at k = 1.
         *
         * @throws IllegalArgumentException for k below 1, or scores without ranks
         */
        public double topK(int k) {
            if (k < 1 || ranks == null) {
                throw new IllegalArgumentException(ranks == null ? "these scores have no ranks" : "k must be at least 1");
            }
            long hits = 0;
            for (int r = 0; r < Math.min(k, ranks.length); r++) {
                hits += ranks[r];
            }
            return samples() == 0 ? Double.NaN : (double) hits / samples();
        }

        /** The area under the ROC curve of a two-class model; NaN for more classes (or a class with no sample). */
        public double auc() {
            return roc == null ? Double.NaN : roc.auc();
        }

        /** The mean of the classes' recalls ({@link ConfusionMatrix#balancedAccuracy}). */
        public double balancedAccuracy() {
            return confusion.balancedAccuracy();
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
