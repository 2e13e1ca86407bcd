package dev.descent.spark;

import dev.descent.data.Batches;
import dev.descent.data.Features;
import dev.descent.loss.Reduction;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.train.Evaluation;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The mean loss and accuracy (0 for regression) of θ on the training or held-out rows of every partition, by the
 * library's {@link Evaluation} on each (batches of {@link Evaluation#BATCH} rows), summed by
 * {@code treeAggregate}: one Spark job.
 */
final class Evaluations {
    private Evaluations() {}

    /** (mean loss, accuracy, rows) of θ, on held-out rows when {@code validation}. */
    static Evaluation of(JavaSparkContext sc, JavaRDD<Block> blocks, Plan plan, Network network,
                         boolean validation, int depth) {
        Broadcast<double[]> theta = sc.broadcast(Theta.read(network));
        Partial sum;
        try {
            sum = blocks.treeAggregate(new Partial(),
                    (acc, block) -> acc.add(partition(block, theta.value(), plan, validation)),
                    Partial::add, depth);
        } finally {
            theta.unpersist(false);
        }
        return new Evaluation(sum.rows == 0 ? Double.NaN : sum.loss / sum.rows, (int) sum.correct, (int) sum.rows);
    }

    static Partial partition(Block block, double[] theta, Plan plan, boolean validation) {
        Partial p = new Partial();
        Features x = validation ? block.validationFeatures() : block.features();
        int[] labels = validation ? block.validation().labels() : block.labels();
        if (labels.length == 0) {
            return p;
        }
        Network network = plan.network(theta);
        Loss loss = plan.loss(Reduction.SUM, validation ? block.validation().targets() : block.targets());
        Batches.inOrder(x, Evaluation.BATCH, (from, batch) -> {
            Evaluation e = Evaluation.batch(network, loss, batch, Arrays.copyOfRange(labels, from, from + batch.rows()));
            p.loss += e.loss();
            p.correct += e.correct();
        });
        p.rows = labels.length;
        return p;
    }
}
