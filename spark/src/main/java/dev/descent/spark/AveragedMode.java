package dev.descent.spark;

import dev.descent.gradient.GradientSource;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.train.TrainingStep;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Parameter averaging, as Deeplearning4j's Spark training does it: every partition starts from
 * the same θ and optimizer state, takes {@code averagingSteps} mini-batch steps of its own rows
 * with the library's training step (a run of {@code FusedBackprop} steps, the fast path), and the
 * driver averages θ and the optimizer's running sums over the partitions, each weighted by the
 * rows it trained on. Fewer, larger communications than {@link ExactMode}: one per
 * {@code averagingSteps} local steps (or one per epoch) instead of one per step.
 *
 * <p>Partition p's local batches in an epoch are consecutive runs of {@code batchSize} rows of
 * its epoch order; synchronisation k covers local batches [k·K, (k+1)·K). One partition
 * averaging once per epoch is exactly the library's {@code Trainer} on that partition.
 */
final class AveragedMode implements Mode {
    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final Plan plan;
    private final int depth;

    AveragedMode(JavaSparkContext sc, JavaRDD<Block> blocks, Plan plan, int depth) {
        this.sc = sc;
        this.blocks = blocks;
        this.plan = plan;
        this.depth = depth;
    }

    /** Local batches per synchronisation for a largest partition of {@code maxRows}. */
    private int perSync(long maxRows) {
        long batches = Math.max(1, (maxRows + plan.batchSize() - 1) / plan.batchSize());
        return plan.averagingSteps() == 0 ? (int) batches : (int) Math.min(batches, plan.averagingSteps());
    }

    @Override
    public int syncsPerEpoch(Summary summary) {
        long batches = Math.max(1, (summary.largestPartition() + plan.batchSize() - 1) / plan.batchSize());
        int k = perSync(summary.largestPartition());
        return (int) ((batches + k - 1) / k);
    }

    @Override
    public Partial sync(int epoch, int index, Summary summary, Network network, Optimizer optimizer) {
        Slots slots = Slots.of(plan, network);
        Optimizer.State state = optimizer.state();
        Broadcast<Start> start = sc.broadcast(new Start(slots.flatten(Theta.read(network), state), state.steps()));
        Plan p = plan;
        int k = perSync(summary.largestPartition());
        Partial sum;
        try {
            sum = blocks.treeAggregate(new Partial(),
                    (acc, block) -> acc.add(train(block, start.value(), p, slots, epoch, index * k, k)),
                    Partial::add, depth);
        } finally {
            start.unpersist(false);
        }
        if (sum.rows == 0) {
            return sum;
        }
        double[] mean = sum.values.clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= sum.rows;
        }
        Theta.write(Arrays.copyOf(mean, network.parameterCount()), network);
        optimizer.restore(slots.state(mean, network.parameterCount(), sum.steps));
        return sum;
    }

    /**
     * θ and the optimizer's running sums at a synchronisation, flat ({@link Slots}), and its step
     * count: broadcast to every partition. Sums not yet begun are zeros, which is how they begin.
     */
    record Start(double[] flat, long steps) implements Serializable {}

    /**
     * On an executor: local batches [first, first + count) of this partition's epoch, stepped
     * from {@code start}; returns θ and the optimizer's state weighted by the rows trained on.
     */
    static Partial train(Block block, Start start, Plan plan, Slots slots, int epoch, int first, int count) {
        Partial p = new Partial();
        int n = block.rows(), b = plan.batchSize();
        int from = Math.min(n, first * b), to = (int) Math.min(n, (long) (first + count) * b);
        if (to == from) {
            return p;
        }
        Faults.maybeFail(block.partition(), epoch, first / Math.max(1, count));
        int[] order = LocalOrders.of(plan.recipe().shuffleSeed(), epoch, block.partition(), n);
        int size = slots.parameterCount();
        Network network = plan.network(Arrays.copyOf(start.flat(), size));
        Optimizer optimizer = plan.newOptimizer(epoch);
        optimizer.restore(slots.state(start.flat(), size, start.steps()));
        TrainingStep step = plan.recipe().step();
        Loss loss = plan.loss(Reduction.MEAN, block.targets());
        Matrix full = new Matrix(Math.min(b, to - from), block.cols()), x;
        try (TrainingStep.Run run = step.run(network, loss, optimizer)) {
            for (int at = from; at < to; at += b) {
                int rows = Math.min(b, to - at);
                x = rows == full.rows() ? full : new Matrix(rows, block.cols());
                int[] labels = new int[rows];
                for (int i = 0; i < rows; i++) {
                    labels[i] = block.labels()[order[at + i]];
                }
                GradientSource.Result r = run.step(block.features(), order, at, x, labels);
                p.loss += r.loss() * rows;
                p.correct += plan.correct(r.output(), labels);
            }
        }
        p.rows = to - from;
        Optimizer.State state = optimizer.state();
        p.steps = state.steps();
        p.addValues(slots.flatten(Theta.read(network), state), p.rows);
        return p;
    }
}
