package dev.descent.live;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.io.AtomicFiles;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.metrics.ConfusionMatrix;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.train.Evaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The report of a finished run, and the evaluation it shows. */
public final class Report {
    private Report() {}

    /** Writes the page of {@code log}, self-contained, to {@code path}, atomically. */
    public static void write(RunLog log, Path path) throws IOException {
        byte[] page = Page.report(log).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, out -> out.write(page));
    }

    /**
     * The evaluation event of {@code network} on {@code data}: loss (as {@code loss} reduces it),
     * accuracy, and the confusion matrix with per-class metrics.
     *
     * @param set which set it is, as the page titles it: {@code test set: ...}
     */
    public static Map<String, Object> evaluation(String set, Network network, Loss loss, Dataset data) {
        // One forward pass per batch gives the loss, the accuracy and the matrix.
        ConfusionMatrix m = new ConfusionMatrix(data.classNames());
        double[] summed = {0};
        int[] correct = {0};
        Batches.inOrder(data.features(), Evaluation.BATCH, (from, x) -> {
            Matrix logits = network.forward(x);
            int[] labels = Arrays.copyOfRange(data.labels(), from, from + x.rows());
            double l = loss.forward(logits, labels);
            summed[0] += loss.reduction() == Reduction.SUM ? l : l * x.rows();
            for (int r = 0; r < x.rows(); r++) {
                int predicted = MatrixOps.argmaxRow(logits, r);
                m.add(labels[r], predicted);
                correct[0] += predicted == labels[r] ? 1 : 0;
            }
        });
        int n = data.size();
        Evaluation e = new Evaluation(loss.reduction() == Reduction.SUM ? summed[0] : summed[0] / n,
                correct[0], n);
        return Events.evaluation(set, e.loss(), e.accuracy(), m);
    }
}
