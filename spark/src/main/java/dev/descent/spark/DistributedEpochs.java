package dev.descent.spark;

import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.train.Epochs;
import dev.descent.train.Evaluation;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A distributed run's epochs, for the library's {@code Trainer}, which holds the policy around
 * them as it does for a local run (epoch 0's row, listeners, the stop on NaN, early stopping with
 * the best θ, checkpoints, resume): an epoch is the mode's synchronisations, its training loss the
 * mean of its batches' losses (each before its step), and evaluations are Spark jobs over the
 * partitions' training or held-out rows. Checkpoints are written between epochs, so an epoch
 * always runs from its first synchronisation. In barrier mode an epoch is one Spark stage
 * ({@link Barrier}), which cannot stop part-way: the checkpoints of a distributed fit never ask it to.
 */
final class DistributedEpochs implements Epochs {
    private final JavaSparkContext sc;
    private final JavaRDD<Block> blocks;
    private final Summary summary;
    private final Plan plan;
    private final Mode mode;
    private final int depth;
    private final boolean barrier;

    /** @param barrier whether an epoch is one barrier stage ({@link Barrier}), or a Spark job per synchronisation */
    DistributedEpochs(JavaSparkContext sc, JavaRDD<Block> blocks, Summary summary, Plan plan, Mode mode, int depth,
                      boolean barrier) {
        this.barrier = barrier;
        this.sc = sc;
        this.blocks = blocks;
        this.summary = summary;
        this.plan = plan;
        this.mode = mode;
        this.depth = depth;
    }

    /** Rows trained on, over every partition. */
    long trainRows() {
        return summary.trainRows();
    }

    @Override
    public int steps() {
        return mode.syncsPerEpoch(summary);
    }

    @Override
    public boolean classifies() {
        return plan.classifies();
    }

    @Override
    public boolean hasHeldOut() {
        return summary.validationRows() > 0;
    }

    @Override
    public Evaluation training(Network network) {
        return Evaluations.of(sc, blocks, plan, network, false, depth);
    }

    @Override
    public Evaluation heldOut(Network network) {
        return Evaluations.of(sc, blocks, plan, network, true, depth);
    }

    @Override
    public Evaluation run(int epoch, Progress from, Network network, Optimizer optimizer, AfterStep after) {
        int syncs = steps();
        Partial trained = new Partial();
        if (barrier) {
            // the stage runs the whole epoch; the listeners hear of its synchronisations when it ends
            List<Partial> done = Barrier.epoch(sc, blocks, plan, mode.exact(), epoch, from.steps(), syncs,
                    mode.stepsPerSync(summary), summary, network, optimizer);
            int k = from.steps();
            for (Partial p : done) {
                trained.add(p);
                after.stop(epoch, new Progress(++k, trained.loss, (int) Math.round(trained.correct)), (int) trained.rows);
            }
            return trained.evaluation();
        }
        for (int k = from.steps(); k < syncs; k++) {
            trained.add(mode.sync(epoch, k, summary, network, optimizer));
            if (after.stop(epoch, new Progress(k + 1, trained.loss, (int) Math.round(trained.correct)),
                    (int) trained.rows)) {
                return null;
            }
        }
        return trained.evaluation();
    }
}
