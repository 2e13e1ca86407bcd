package dev.descent.spark;

import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * An epoch as one Spark stage in barrier execution mode: a task per block, all running at once
 * and for the whole epoch, each holding its block and a copy of the network. At each
 * synchronisation every task sends its partial sums (exact: its share's gradient; averaged: its
 * θ and optimizer state weighted by its rows) through a {@link Channel} of the stage's own, and
 * every task gets the same sum (added in block order) and takes the same step, so the copies stay
 * identical without a broadcast. Spark's own {@code BarrierTaskContext.allGather} costs about a
 * second a call in Spark 4.0 (measured: 0.88 to 0.95 s for messages of 100 bytes or 1 MB, local[2]),
 * against 30 to 80 ms for a job: it carries only the channel's address, once per stage. One stage and one scheduling per epoch instead of
 * a job per synchronisation; the driver sees the epoch's steps when the stage ends.
 *
 * <p>Adding in block order makes a synchronisation's sum the same on every attempt, and the same
 * as {@code treeAggregate}'s with two blocks. If a task fails, Spark runs the whole stage again
 * (a barrier map stage is retried whole; so the stage's results go through a one-partition
 * shuffle, since Spark aborts a failed barrier result stage), and the epoch starts again from the
 * state it was given.
 */
final class Barrier {
    private Barrier() {}

    /** θ and the optimizer's state at the end of an epoch, and what each synchronisation of it summed. */
    record Outcome(double[] flat, long steps, List<Partial> syncs) implements Serializable {}

    /** Whether barrier mode can run {@code blocks} tasks at once on this cluster, or why not. */
    static String whyNot(JavaSparkContext sc, int blocks) {
        if (sc.getConf().getBoolean("spark.dynamicAllocation.enabled", false)) {
            return "Spark's barrier execution mode does not run with dynamic allocation (spark.dynamicAllocation.enabled)";
        }
        int slots = sc.defaultParallelism() / Math.max(1, sc.getConf().getInt("spark.task.cpus", 1));
        if (blocks > slots) {
            return "barrier mode runs every block's task at once: " + blocks + " blocks, " + slots + " task slots; set "
                    + "numPartitions to at most " + slots + " (and maxBlockMB so that they hold the data), or "
                    + "synchronization to jobs";
        }
        return null;
    }

    /**
     * Runs syncs [from, syncs) of epoch {@code epoch} of {@code exact} or averaged mode, from the
     * network's θ and the optimizer's state; leaves both holding the epoch's end.
     */
    static List<Partial> epoch(JavaSparkContext sc, JavaRDD<Block> blocks, Plan plan, boolean exact, int epoch,
                               int from, int syncs, int perSync, Summary summary, Network network, Optimizer optimizer) {
        Slots slots = Slots.of(plan, network);
        Optimizer.State state = optimizer.state();
        Broadcast<AveragedMode.Start> start = sc.broadcast(new AveragedMode.Start(
                slots.flatten(Theta.read(network), state), state.steps()));
        long total = summary.trainRows();
        int steps = ExactMode.steps(total, plan.batchSize());
        List<Outcome> outcomes;
        try {
            Task run = new Task(start, plan, slots, exact, epoch, from, syncs, perSync, steps, total);
            // A shuffle after the barrier stage makes it a map stage, which Spark retries whole when a task fails;
            // a failed barrier result stage is only aborted.
            outcomes = blocks.rdd().barrier().mapPartitions(run, true, ClassTag$.MODULE$.apply(Outcome.class))
                    .toJavaRDD().coalesce(1, true).collect();
        } finally {
            start.unpersist(false);
        }
        Outcome o = outcomes.stream().filter(x -> x.flat() != null).findFirst().orElseThrow();
        Theta.write(Arrays.copyOf(o.flat(), network.parameterCount()), network);
        optimizer.restore(slots.state(o.flat(), network.parameterCount(), o.steps()));
        return o.syncs();
    }

    /** A task of the stage: its block's epoch; block 0's task returns the end state, every task the sums. */
    private static final class Task extends AbstractFunction1<scala.collection.Iterator<Block>,
            scala.collection.Iterator<Outcome>> implements Serializable {
        private final Broadcast<AveragedMode.Start> start;
        private final Plan plan;
        private final Slots slots;
        private final boolean exact;
        private final int epoch, from, syncs, perSync, steps;
        private final long total;

        Task(Broadcast<AveragedMode.Start> start, Plan plan, Slots slots, boolean exact, int epoch, int from, int syncs,
             int perSync, int steps, long total) {
            this.start = start;
            this.plan = plan;
            this.slots = slots;
            this.exact = exact;
            this.epoch = epoch;
            this.from = from;
            this.syncs = syncs;
            this.perSync = perSync;
            this.steps = steps;
            this.total = total;
        }

        @Override
        public scala.collection.Iterator<Outcome> apply(scala.collection.Iterator<Block> blocks) {
            Block block = blocks.next();
            BarrierTaskContext task = BarrierTaskContext.get();
            Outcome o;
            try (Channel channel = Channel.open(task)) {
                o = exact ? exactEpoch(channel, block, start.value(), plan, slots, epoch, from, syncs, total)
                        : averagedEpoch(channel, block, start.value(), plan, slots, epoch, from, syncs, perSync, steps,
                                total);
            }
            Outcome mine = task.partitionId() == 0 ? o : new Outcome(null, 0, List.of());
            return CollectionConverters.asScala(List.of(mine).iterator());
        }
    }

    private static Outcome exactEpoch(Channel channel, Block block, AveragedMode.Start start, Plan plan,
                                      Slots slots, int epoch, int from, int syncs, long total) {
        int size = slots.parameterCount();
        Network network = plan.network(Arrays.copyOf(start.flat(), size));
        Optimizer optimizer = plan.newOptimizer(epoch);
        optimizer.restore(slots.state(start.flat(), size, start.steps()));
        List<Partial> done = new java.util.ArrayList<>();
        for (int s = from; s < syncs; s++) {
            Partial sum = channel.allReduce(ExactMode.gradient(block, network, null, plan, epoch, s, total));
            if (sum.rows > 0) {
                Theta.setGradients(sum.values, 1.0 / sum.rows, network);
                optimizer.step(network.parameters());
            }
            done.add(withoutValues(sum));
        }
        Optimizer.State state = optimizer.state();
        return new Outcome(slots.flatten(Theta.read(network), state), state.steps(), done);
    }

    private static Outcome averagedEpoch(Channel channel, Block block, AveragedMode.Start start, Plan plan,
                                         Slots slots, int epoch, int from, int syncs, int perSync, int steps, long total) {
        AveragedMode.Start now = start;
        List<Partial> done = new java.util.ArrayList<>();
        for (int s = from; s < syncs; s++) {
            int first = s * perSync, count = Math.min(perSync, steps - first);
            Partial sum = channel.allReduce(AveragedMode.train(block, now, plan, slots, epoch, s, first, count, total));
            if (sum.rows > 0) {
                double[] mean = sum.values.clone();
                for (int i = 0; i < mean.length; i++) {
                    mean[i] /= sum.rows;
                }
                now = new AveragedMode.Start(mean, sum.steps);
            }
            done.add(withoutValues(sum));
        }
        return new Outcome(now.flat(), now.steps(), done);
    }

    /** The sums without their vector: what the driver's listeners are told of a synchronisation. */
    private static Partial withoutValues(Partial sum) {
        Partial p = new Partial();
        p.loss = sum.loss;
        p.correct = sum.correct;
        p.rows = sum.rows;
        p.weight = sum.weight;
        p.steps = sum.steps;
        return p;
    }
}
