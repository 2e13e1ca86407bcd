package dev.descent.spark;

import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.train.Evaluation;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The mean loss and accuracy (0 for regression) of θ on the training or held-out rows of every
 * block, weighted where the rows are, in batches of {@link Evaluation#BATCH} rows, summed by
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
                    (acc, block) -> acc.add(partition(validation ? block.validation() : block.train(), theta.value(),
                            plan)),
                    Partial::add, depth);
        } finally {
            theta.unpersist(false);
        }
        return sum.evaluation();
    }

    /** The summed loss (each row's weighted), the weight of the rows right, the rows and their weight. */
    static Partial partition(Rows rows, double[] theta, Plan plan) {
        Partial p = new Partial();
        int n = rows.count(), cols = rows.features().cols();
        if (n == 0) {
            return p;
        }
        Network network = plan.network(theta);
        Loss loss = rows.loss(plan, Reduction.SUM);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Matrix x = new Matrix(Math.min(n, Evaluation.BATCH), cols);
        for (int from = 0; from < n; from += Evaluation.BATCH) {
            int count = Math.min(Evaluation.BATCH, n - from);
            Matrix batch = count == x.rows() ? x : new Matrix(count, cols);
            rows.features().gather(order, from, count, batch);
            int[] labels = rows.batchLabels(order, from, count);
            Matrix output = network.forward(batch);
            p.loss += loss.forward(output, labels);
            p.correct += rows.correct(plan, output, labels);
        }
        p.rows = n;
        p.weight = rows.weight(order, 0, n);
        return p;
    }
}
