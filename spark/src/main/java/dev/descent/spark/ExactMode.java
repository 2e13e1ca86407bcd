package dev.descent.spark;

import dev.descent.gradient.GradientSource;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Exact distributed steps: each step's global batch is cut across the partitions in proportion
 * to their rows; every partition computes the summed gradient of its share with the library's
 * fused backprop ({@code FusedBackprop} as a gradient source), {@code treeAggregate} sums the
 * shares, and the driver divides by the batch's rows and takes the optimizer's step. One step is
 * the single-process step on the same rows, up to the order of the sums.
 *
 * <p>An epoch has ⌈N / batch⌉ steps; partition p's share of step s is rows
 * [⌊s·batch·n_p / N⌋, ⌊(s+1)·batch·n_p / N⌋) of its epoch order ({@link LocalOrders#sliceStart}),
 * so each row is visited once per epoch.
 */
final class ExactMode implements Mode {
    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final Plan plan;
    private final int depth;

    ExactMode(JavaSparkContext sc, JavaRDD<Block> blocks, Plan plan, int depth) {
        this.sc = sc;
        this.blocks = blocks;
        this.plan = plan;
        this.depth = depth;
    }

    /** Steps per epoch for N training rows. */
    static int steps(long rows, int batchSize) {
        return (int) Math.max(1, (rows + batchSize - 1) / batchSize);
    }

    @Override
    public boolean exact() {
        return true;
    }

    @Override
    public int stepsPerSync(Summary summary) {
        return 1;
    }

    @Override
    public int syncsPerEpoch(Summary summary) {
        return steps(summary.trainRows(), plan.batchSize());
    }

    @Override
    public Partial sync(int epoch, int index, Summary summary, Network network, Optimizer optimizer) {
        long total = summary.trainRows();
        Broadcast<double[]> theta = sc.broadcast(Theta.read(network));
        Plan p = plan;
        Partial sum;
        try {
            sum = blocks.treeAggregate(new Partial(),
                    (acc, block) -> acc.add(gradient(block, theta.value(), p, epoch, index, total)),
                    Partial::add, depth);
        } finally {
            // θ is used by this step's job alone: destroy drops the driver's copy too, now rather than
            // when the ContextCleaner finds it unreachable (no change in the step's time: docs/spark.md)
            theta.destroy();
        }
        if (sum.rows == 0) {
            return sum;
        }
        Theta.setGradients(sum.values, 1.0 / sum.rows, network);
        optimizer.step(network.parameters());
        return sum;
    }

    /**
     * On an executor: the gradient of the loss summed over this partition's share of step
     * {@code step}, at θ, with the loss there and the rows it got right.
     */
    static Partial gradient(Block block, double[] theta, Plan plan, int epoch, int step, long total) {
        return gradient(block, null, theta, plan, epoch, step, total);
    }

    /** As {@link #gradient(Block, double[], Plan, int, int, long)}, on {@code network} (θ) when it is not null. */
    static Partial gradient(Block block, Network given, double[] theta, Plan plan, int epoch, int step, long total) {
        Partial p = new Partial();
        Rows rows = block.train();
        int n = rows.count();
        int from = LocalOrders.sliceStart(n, total, plan.batchSize(), step);
        int to = LocalOrders.sliceStart(n, total, plan.batchSize(), step + 1);
        if (to == from) {
            return p;
        }
        Faults.maybeFail(block.index(), epoch, step);
        int[] order = LocalOrders.of(plan.recipe().shuffleSeed(), epoch, block.index(), n);
        Matrix x = new Matrix(to - from, block.cols());
        rows.features().gather(order, from, to - from, x);
        int[] labels = rows.batchLabels(order, from, to - from);
        Network network = given != null ? given : plan.network(theta);
        GradientSource.Result r = plan.gradients().computeGradients(network, rows.loss(plan, Reduction.SUM), x, labels);
        p.values = new double[network.parameterCount()];
        Theta.addGradients(network, p.values);
        p.loss = r.loss();
        p.correct = rows.correct(plan, r.output(), labels);
        p.rows = labels.length;
        p.weight = rows.weight(order, from, to - from);
        return p;
    }
}
