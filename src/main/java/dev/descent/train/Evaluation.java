package dev.descent.train;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.util.Arrays;

/**
 * The loss and accuracy of a network on a data set, from forward passes in batches of
 * {@link #BATCH} rows, or {@link Network#IMAGES_AT_ONCE} images for a network of images (a set
 * that fits in {@link #BATCH} rows is done in one pass, exactly as training sees it).
 *
 * @param loss    L over the whole set, reduced as the loss says (summed, or averaged over all rows)
 * @param correct samples whose most probable class is their label
 * @param count   samples
 */
public record Evaluation(double loss, int correct, int count) {
    /** Rows per forward pass when evaluating a large set. */
    public static final int BATCH = 1000;

    public double accuracy() {
        return count == 0 ? 0.0 : (double) correct / count;
    }

    public static Evaluation of(Network network, Loss loss, Dataset data) {
        int n = data.size();
        if (n <= BATCH) {
            return batch(network, loss, data.featureMatrix(), data.labels());
        }
        double[] summed = {0};
        int[] correct = {0};
        Batches.inOrder(data.features(), network.inputShape() != null ? Network.IMAGES_AT_ONCE : BATCH, (from, x) -> {
            int[] labels = Arrays.copyOfRange(data.labels(), from, from + x.rows());
            Evaluation e = batch(network, loss, x, labels);
            summed[0] += loss.reduction() == Reduction.SUM ? e.loss : e.loss * x.rows();
            correct[0] += e.correct;
        });
        return new Evaluation(loss.reduction() == Reduction.SUM ? summed[0] : summed[0] / n, correct[0], n);
    }

    /** The loss and accuracy on one batch x: (N, in). */
    public static Evaluation batch(Network network, Loss loss, Matrix x, int[] labels) {
        Matrix logits = network.forward(x);
        return new Evaluation(loss.forward(logits, labels), loss.classifies() ? countCorrect(logits, labels) : 0,
                labels.length);
    }

    /** How many rows of logits: (N, k) have their largest entry at the label. */
    public static int countCorrect(Matrix logits, int[] labels) {
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            if (MatrixOps.argmaxRow(logits, r) == labels[r]) {
                correct++;
            }
        }
        return correct;
    }
}
