package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.loss.Loss;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A zeroth-order run stopped in the middle of an epoch and continued from its saved state ends
 * exactly as the run left alone: its directions come from the seed, the epoch and the batch,
 * which the state keeps, and never from a generator's running state.
 */
class SpsaResumeTest {
    private static final Dataset DATA = TrainerTest.blobs(600, 5);

    private static Recipe recipe(String optimizer, String dtype, int directions) {
        return Recipe.forData().withGradient("spsa").withDirections(directions).withLayers(16).withOptimizer(optimizer)
                .withLearningRate(optimizer.equals("sgd") ? 0.05 : 0.005).withWeightDecay(0.001)
                .withDtype(Dtype.of(dtype)).withDropout(0.1).withSchedule("cosine").withBatch(32)
                .withEpochs(4).withSeed(3);
    }

    @ParameterizedTest
    @CsvSource({"sgd, float32, 1", "momentum, float64, 3", "adam, float32, 2"})
    void stoppedMidEpochThenResumedEndsExactlyAsTheRunLeftAlone(String optimizer, String dtype, int directions) {
        Recipe recipe = recipe(optimizer, dtype, directions);
        Network whole = recipe.network(DATA);
        History expected = recipe.trainer(DATA).fit(whole, DATA);

        TrainingState[] saved = {null};
        int[] steps = {0};
        Checkpoints stopper = new Checkpoints() {
            @Override
            public int every() {
                return 100;
            }

            @Override
            public void save(TrainingState state) {
                saved[0] = state;
            }

            @Override
            public boolean stopRequested() {
                return steps[0] >= 30; // in epoch 2 of 19 steps an epoch
            }
        };
        Network first = recipe.network(DATA);
        History stopped = recipe.trainer(DATA).checkpoints(stopper).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
                steps[0]++;
            }
        }).fit(first, DATA);
        assertTrue(stopped.interrupted());
        assertEquals(1, saved[0].epoch());
        assertEquals(11, saved[0].batch());

        Network second = recipe.withSeed(3).network(DATA);
        History resumed = recipe.trainer(DATA).fit(second, DATA, saved[0]);
        assertEquals(whole.snapshot(), second.snapshot());
        assertEquals(expected.losses().length, resumed.losses().length);
        for (int e = 0; e < expected.rows().size(); e++) {
            assertEquals(expected.rows().get(e).loss(), resumed.rows().get(e).loss(), 0.0, "loss of epoch " + e);
        }
        assertTrue(expected.rows().get(4).loss() < expected.rows().get(0).loss(), "the loss fell: " + expected.rows());
    }

    /** The trainer keys every step of a run with a key of its own, the same in a run started again. */
    @Test
    void everyStepHasAKeyOfItsOwn() {
        List<List<Long>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Long> keys = new ArrayList<>();
            TrainingStep spsa = recipe("sgd", "float32", 1).step();
            TrainingStep recording = new TrainingStep() {
                @Override
                public GradientSource.Result step(Network network, Loss loss, Matrix x, int[] labels,
                        Optimizer optimizer) {
                    return spsa.step(network, loss, x, labels, optimizer);
                }

                @Override
                public void key(long key) {
                    keys.add(key);
                    spsa.key(key);
                }

                @Override
                public GradientSource gradients() {
                    return spsa.gradients();
                }
            };
            Recipe recipe = recipe("sgd", "float32", 1).withStep(recording).withEpochs(3);
            recipe.trainer(DATA).fit(recipe.network(DATA), DATA);
            runs.add(keys);
        }
        assertEquals(3 * 19, runs.get(0).size());
        assertEquals(3 * 19, new HashSet<>(runs.get(0)).size());
        assertEquals(runs.get(0), runs.get(1));
    }

    /** Two seeds draw two runs: the directions are the run's own, not fixed. */
    @Test
    void theSeedDrawsTheDirections() {
        Recipe recipe = recipe("sgd", "float32", 1).withInit(Initializer.HE);
        Network a = recipe.network(DATA), b = recipe.network(DATA);
        recipe.trainer(DATA).fit(a, DATA);
        recipe.withSeed(4).trainer(DATA).fit(b, DATA); // the same start, another shuffle and other directions
        List<?> pa = a.snapshot(), pb = b.snapshot();
        assertNotEquals(pa, pb);
    }
}
