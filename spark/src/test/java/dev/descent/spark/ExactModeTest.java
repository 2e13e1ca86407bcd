package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.TrainingStep;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;

/**
 * Exact mode's steps against the library's single-process step on the same global batch: the
 * rows each partition contributes, gathered in one process and stepped by the reference
 * schedule ({@code Backpropagation}, each layer's backward in turn) and the optimizer.
 */
class ExactModeTest {
    /** Sums over partitions in another order and a fused schedule: a few ulps of θ ~ 1. */
    static final double TOLERANCE = 1e-12;

    @Test
    void everyStepOfAnEpochEqualsTheLibrarysStepOnTheSameRows() {
        for (String optimizer : List.of("sgd", "momentum", "adam")) {
            // 3 blocks of about 100 rows, as a hash falls: shares of a batch are uneven
            double worst = stepBoth(301, 3, optimizer, 64, 5);
            assertTrue(worst <= TOLERANCE, optimizer + ": θ differs by " + worst);
        }
    }

    @Test
    void aFullBatchStepEqualsTheLibrarysStep() {
        double worst = stepBoth(120, 2, "sgd", 1000, 1);
        assertTrue(worst <= TOLERANCE, "θ differs by " + worst);
    }

    /** Takes {@code steps} exact distributed steps and the reference's, from the same θ; the worst |Δθ| over them. */
    private static double stepBoth(int n, int partitions, String optimizerName, int batch, int steps) {
        long seed = 7;
        Recipe recipe = Recipe.forData().withLayers(8, 6).withActivation("tanh").withDtype(Dtype.FLOAT64)
                .withOptimizer(optimizerName).withLearningRate(optimizerName.equals("adam") ? 0.01 : 0.1)
                .withBatch(batch).withSeed(seed);
        Plan plan = new Plan(recipe, 4, 3, 0);
        JavaRDD<Block> blocks = TestSpark.blocks(TestSpark.blobs(n, 4, 3, 2, 11), 3, partitions, seed);
        try {
            Summary summary = Summary.of(blocks.map(Summary.Part::of).collect());
            List<Block> local = blocks.collect();
            assertEquals(partitions, local.size());
            Network distributed = recipe.build(4, 3), reference = recipe.build(4, 3);
            Initializer.XAVIER.initialize(distributed, seed);
            Initializer.XAVIER.initialize(reference, seed);
            Optimizer distributedOpt = recipe.newOptimizer(), referenceOpt = Optimizers.create(optimizerName,
                    recipe.learningRate());
            ExactMode mode = new ExactMode(TestSpark.sc(), blocks, plan, 2);
            int perEpoch = mode.syncsPerEpoch(summary);
            TrainingStep librarys = TrainingStep.of(new Backpropagation());
            double worst = 0;
            for (int s = 0; s < steps; s++) {
                int epoch = 1 + s / perEpoch, step = s % perEpoch;
                Partial p = mode.sync(epoch, step, summary, distributed, distributedOpt);
                Batch b = batch(local, recipe.shuffleSeed(), epoch, step, batch);
                assertEquals(b.labels.length, p.rows);
                double loss = librarys.step(reference, new SoftmaxCrossEntropy(Reduction.MEAN), b.x, b.labels,
                        referenceOpt).loss();
                assertEquals(loss, p.loss / p.rows, 1e-12, "the batch's loss before the step");
                worst = Math.max(worst, maxDifference(Theta.read(distributed), Theta.read(reference)));
            }
            return worst;
        } finally {
            blocks.unpersist(false);
        }
    }

    record Batch(Matrix x, int[] labels) {}

    /** The global batch of step s: each block's share of its epoch order, in block order. */
    static Batch batch(List<Block> blocks, long shuffleSeed, int epoch, int step, int batch) {
        long all = blocks.stream().mapToLong(b -> b.train().count()).sum();
        int total = 0;
        for (Block b : blocks) {
            int n = b.train().count();
            total += LocalOrders.sliceStart(n, all, batch, step + 1) - LocalOrders.sliceStart(n, all, batch, step);
        }
        Matrix x = new Matrix(total, blocks.get(0).cols());
        int[] labels = new int[total];
        int at = 0;
        for (Block b : blocks) {
            Rows rows = b.train();
            int n = rows.count();
            int[] order = LocalOrders.of(shuffleSeed, epoch, b.index(), n);
            int from = LocalOrders.sliceStart(n, all, batch, step), to = LocalOrders.sliceStart(n, all, batch, step + 1);
            rows.features().gather(order, from, to - from, x.data(), at * b.cols(), 0, b.cols());
            for (int i = from; i < to; i++, at++) {
                labels[at] = rows.labels()[order[i]];
            }
        }
        return new Batch(x, labels);
    }

    static double maxDifference(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
