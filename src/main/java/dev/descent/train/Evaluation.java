package dev.descent.train;

import dev.descent.data.Dataset;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;

/**
 * The loss and accuracy of a network on a data set, from one forward pass.
 *
 * @param loss    L, reduced as the loss says
 * @param correct samples whose most probable class is their label
 * @param count   samples
 */
public record Evaluation(double loss, int correct, int count) {
    public double accuracy() {
        return count == 0 ? 0.0 : (double) correct / count;
    }

    public static Evaluation of(Network network, Loss loss, Dataset data) {
        Matrix logits = network.forward(data.features());
        double value = loss.forward(logits, data.labels());
        int correct = 0;
        for (int r = 0; r < logits.rows(); r++) {
            if (MatrixOps.argmaxRow(logits, r) == data.labels()[r]) {
                correct++;
            }
        }
        return new Evaluation(value, correct, data.size());
    }
}
