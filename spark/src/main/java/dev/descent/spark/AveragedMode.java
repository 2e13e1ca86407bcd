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
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Local SGD: every partition starts from the same θ and optimizer state, takes its share of
 * {@code averagingSteps} of the epoch's steps on its own rows with the library's training step (a
 * run of {@code FusedBackprop} steps, the fast path), and the driver averages θ and the
 * optimizer's running sums over the partitions, each weighted by the rows it trained on
 * (parameter averaging, as Deeplearning4j's Spark training does it). One communication per
 * {@code averagingSteps} steps (or one per epoch) instead of one per step.
 *
 * <p>A partition's local steps are its shares of the epoch's global steps, as in
 * {@link ExactMode}: step s takes rows [⌊s·batch·n_p / N⌋, ⌊(s+1)·batch·n_p / N⌋) of its epoch
 * order, so every partition takes as many steps in an epoch as the library's trainer does on the
 * whole data, each of about batch·n_p / N rows. Taking a fixed batch of each partition's rows
 * instead leaves P partitions with 1/P of the steps, and averaging them is then a run of fewer,
 * larger steps: −2.5 points of accuracy from 2 to 4 partitions on 15,000 rows (issue 31). With
 * shares, averaging after every step is exact mode's step for sgd and momentum (the average of
 * θ − lr·g_p weighted by shares is θ − lr·g), and averaging less often is local SGD: Stich,
 * "Local SGD Converges Fast and Communicates Little", ICLR 2019; Lin, Stich, Patel and Jaggi,
 * "Don't Use Large Mini-Batches, Use Local SGD", ICLR 2020. One partition averaging once per epoch
 * is exactly the library's {@code Trainer} on that partition.
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

    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public int stepsPerSync(Summary summary) {
        return perSync(summary);
    }

    /** Global steps per synchronisation: {@code averagingSteps}, or all of an epoch's. */
    private int perSync(Summary summary) {
        int steps = ExactMode.steps(summary.trainRows(), plan.batchSize());
        return plan.averagingSteps() == 0 ? steps : Math.min(steps, plan.averagingSteps());
    }

    @Override
    public int syncsPerEpoch(Summary summary) {
        int steps = ExactMode.steps(summary.trainRows(), plan.batchSize()), k = perSync(summary);
        return (steps + k - 1) / k;
    }

    @Override
    public Partial sync(int epoch, int index, Summary summary, Network network, Optimizer optimizer) {
        Slots slots = Slots.of(plan, network);
        Optimizer.State state = optimizer.state();
        Broadcast<Start> start = sc.broadcast(new Start(slots.flatten(Theta.read(network), state), state.steps()));
        Plan p = plan;
        int k = perSync(summary), steps = ExactMode.steps(summary.trainRows(), plan.batchSize());
        int first = index * k, count = Math.min(k, steps - first);
        long total = summary.trainRows();
        Partial sum;
        try {
            sum = blocks.treeAggregate(new Partial(),
                    (acc, block) -> acc.add(train(block, start.value(), p, slots, epoch, index, first, count, total)),
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
     * On an executor: this partition's shares of global steps [first, first + count) of its
     * epoch ({@code total} rows in all), stepped from {@code start}; returns θ and the optimizer's
     * state weighted by the rows trained on.
     */
    static Partial train(Block block, Start start, Plan plan, Slots slots, int epoch, int sync, int first, int count,
                         long total) {
        Partial p = new Partial();
        Rows rows = block.train();
        int n = rows.count(), b = plan.batchSize();
        int from = LocalOrders.sliceStart(n, total, b, first), to = LocalOrders.sliceStart(n, total, b, first + count);
        if (to == from) {
            return p;
        }
        Faults.maybeFail(block.index(), epoch, sync);
        int[] order = LocalOrders.of(plan.recipe().shuffleSeed(), epoch, block.index(), n);
        int size = slots.parameterCount();
        Network network = plan.network(Arrays.copyOf(start.flat(), size));
        Optimizer optimizer = plan.newOptimizer(epoch);
        optimizer.restore(slots.state(start.flat(), size, start.steps()));
        TrainingStep step = plan.recipe().step();
        Loss loss = rows.loss(plan, Reduction.MEAN);
        Map<Integer, Matrix> buffers = new HashMap<>(); // shares differ by a row at most: two sizes
        try (TrainingStep.Run run = step.run(network, loss, optimizer)) {
            for (int s = first; s < first + count; s++) {
                int at = LocalOrders.sliceStart(n, total, b, s), batch = LocalOrders.sliceStart(n, total, b, s + 1) - at;
                if (batch == 0) {
                    continue;
                }
                Matrix x = buffers.computeIfAbsent(batch, r -> new Matrix(r, block.cols()));
                int[] labels = rows.batchLabels(order, at, batch);
                GradientSource.Result r = run.step(rows.features(), order, at, x, labels);
                p.loss += r.loss() * batch;
                p.correct += rows.correct(plan, r.output(), labels);
            }
        }
        p.rows = to - from;
        p.weight = rows.weight(order, from, to - from);
        Optimizer.State state = optimizer.state();
        p.steps = state.steps();
        p.addValues(slots.flatten(Theta.read(network), state), p.rows);
        return p;
    }
}
