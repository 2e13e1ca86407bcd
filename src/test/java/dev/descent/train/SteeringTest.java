package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listeners that steer: a stop, a learning rate, a plateau's cuts, a time budget; and a resume that keeps them. */
class SteeringTest {
    private static final Dataset DATA = TrainerTest.blobs(240, 3);
    private static final Recipe RUN = Recipe.forData().withLayers(8).withBatch(32).withLearningRate(0.05).withEpochs(6);

    @Test
    void aListenerStopsTheRunAfterAnEpochAndSetsTheNextEpochsRate() {
        List<Double> rates = new ArrayList<>();
        TrainingListener steer = new TrainingListener() {
            @Override
            public void onEpoch(History.Row row, Steering s) {
                rates.add(s.learningRate());
                if (row.epoch() == 1) {
                    s.learningRate(0.01);
                }
                if (row.epoch() == 3) {
                    s.stop("enough after epoch 3");
                }
            }
        };
        History h = RUN.trainer(DATA).listener(steer).fit(RUN.network(DATA), DATA);
        assertEquals(List.of(0.05, 0.01, 0.01), rates, "the rate each epoch took");
        assertEquals(4, h.rows().size());
        assertEquals("enough after epoch 3", h.stopReason());
        assertTrue(!h.interrupted() && !h.diverged());
        assertThrows(IllegalArgumentException.class, () -> RUN.trainer(DATA).listener(new TrainingListener() {
            @Override
            public void onEpoch(History.Row row, Steering s) {
                s.learningRate(-1);
            }
        }).fit(RUN.network(DATA), DATA));
    }

    /** The rates PyTorch 2.13's ReduceLROnPlateau(factor=0.5, patience=2, threshold=1e-4, min_lr=0.02) gives. */
    @Test
    void thePlateauCutsAsPyTorchsReduceLROnPlateauDoes() {
        double[] losses = {1.0, 0.9, 0.9, 0.9, 0.9, 0.89995, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8};
        double[] torch = {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02};
        ReduceLROnPlateau plateau = new ReduceLROnPlateau(0.1, 0.5, 2, 1e-4, 0.02);
        List<History.Row> rows = new ArrayList<>(List.of(new History.Row(0, 2, 0, Double.NaN, Double.NaN, 0)));
        double[] ours = new double[losses.length];
        for (int e = 0; e < losses.length; e++) {
            rows.add(new History.Row(e + 1, losses[e], 0, Double.NaN, Double.NaN, 0));
            ours[e] = plateau.rateAfter(rows);
        }
        assertArrayEquals(torch, ours, 1e-15);
    }

    @Test
    void aRunOnAPlateauScheduleContinuedFromACheckpointEndsAsTheWholeRun() {
        Recipe run = RUN.withSchedule("plateau").withPlateau(0, 0.5, 0).withGamma(0.5).withEpochs(8);
        Network whole = run.network(DATA);
        History all = run.trainer(DATA).fit(whole, DATA);

        List<TrainingState> saved = new ArrayList<>();
        Network first = run.network(DATA);
        run.withEpochs(4).trainer(DATA).checkpoints(new Checkpoints() {
            @Override
            public int every() {
                return 1;
            }

            @Override
            public void save(TrainingState state) {
                saved.add(state);
            }

            @Override
            public boolean stopRequested() {
                return false;
            }
        }).fit(first, DATA);
        Network resumed = run.network(DATA);
        History rest = run.trainer(DATA).fit(resumed, DATA, saved.get(saved.size() - 1));
        assertArrayEquals(all.losses(), rest.losses(), 0.0);
        for (int i = 0; i < whole.parameters().size(); i++) {
            assertArrayEquals(whole.parameters().get(i).value().data(), resumed.parameters().get(i).value().data(), 0.0);
        }
        assertTrue(run.plateau().rateAfter(all.rows()) < run.learningRate(), "the rate was cut on the way");
    }

    @Test
    void aTimeBudgetStopsBeforeAnEpochThatWouldNotFinish() {
        History h = RUN.withEpochs(50).trainer(DATA).listener(new TimeBudget(Duration.ofNanos(1)))
                .fit(RUN.network(DATA), DATA);
        assertEquals(2, h.rows().size(), "epoch 0 and the one epoch that ran");
        assertTrue(h.stopReason().startsWith("the time budget of 0.000000001 s is spent"), h.stopReason());
    }
}
