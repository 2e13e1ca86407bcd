package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {
    /** Two noisy Gaussian blobs per class in 4 dimensions, 3 classes, seeded. */
    static Dataset blobs(int n, long seed) {
        Random rng = new Random(seed);
        Matrix x = new Matrix(n, 4);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x.set(i, j, (j == y[i] ? 2.0 : 0.0) + rng.nextGaussian());
            }
        }
        return new Dataset(x, y, List.of("a", "b", "c"), "blobs");
    }

    private static Network net(long seed) {
        Network n = new Architecture(4, List.of(16), "relu", 3).build();
        Initializer.HE.initialize(n, seed);
        return n;
    }

    private static Trainer trainer(String optimizer, double lr, int epochs) {
        return new Trainer(TrainingStep.of(new Backpropagation()), new SoftmaxCrossEntropy(Reduction.MEAN), Optimizers.create(optimizer, lr),
                epochs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "adam"})
    void everyOptimizerLowersTheLossInMiniBatches(String optimizer) {
        double lr = optimizer.equals("adam") ? 0.01 : 0.05;
        History h = trainer(optimizer, lr, 10).batchSize(32).shuffleSeed(3).fit(net(1), blobs(300, 1));
        assertTrue(h.last().loss() < 0.6 * h.first().loss(), optimizer + ": " + h.first().loss() + " -> " + h.last().loss());
        assertTrue(h.last().accuracy() > 0.8, optimizer + ": accuracy " + h.last().accuracy());
    }

    @Test
    void miniBatchRunsRepeatBitForBitAndDependOnTheShuffleSeed() {
        Dataset data = blobs(100, 2);
        double[] a = trainer("sgd", 0.1, 5).batchSize(16).shuffleSeed(7).fit(net(1), data).losses();
        double[] b = trainer("sgd", 0.1, 5).batchSize(16).shuffleSeed(7).fit(net(1), data).losses();
        double[] c = trainer("sgd", 0.1, 5).batchSize(16).shuffleSeed(8).fit(net(1), data).losses();
        assertArrayEquals(a, b);
        assertNotEquals(a[5], c[5]);
    }

    @Test
    void aBatchAsLargeAsTheDataIsFullBatchTraining() {
        Dataset data = blobs(60, 3);
        double[] full = trainer("sgd", 0.1, 5).fit(net(1), data).losses();
        double[] batch = trainer("sgd", 0.1, 5).batchSize(60).fit(net(1), data).losses();
        assertArrayEquals(full, batch);
    }

    @Test
    void everyBatchIsReportedAndTheLastMayBeSmaller() {
        List<int[]> seen = new ArrayList<>();
        trainer("sgd", 0.1, 1).batchSize(32).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
                seen.add(new int[] {batch, batches, samples});
            }
        }).fit(net(1), blobs(100, 4));
        assertEquals(4, seen.size());
        assertArrayEquals(new int[] {4, 4, 100}, seen.get(3));
        assertArrayEquals(new int[] {1, 4, 32}, seen.get(0));
    }

    @Test
    void validationIsEvaluatedEveryEpoch() {
        Dataset[] parts = blobs(200, 5).splitValidation(0.25, 1);
        assertEquals(150, parts[0].size());
        assertEquals(50, parts[1].size());
        History h = trainer("sgd", 0.1, 3).batchSize(25).validation(parts[1]).fit(net(1), parts[0]);
        for (History.Row r : h.rows()) {
            assertTrue(r.hasValidation());
            assertTrue(Double.isFinite(r.validationLoss()) && r.validationAccuracy() >= 0);
        }
        Network n = net(1);
        trainer("sgd", 0.1, 3).batchSize(25).fit(n, parts[0]);
        assertEquals(h.last().validationLoss(), Evaluation.of(n, new SoftmaxCrossEntropy(Reduction.MEAN), parts[1]).loss());
    }

    @Test
    void earlyStoppingRestoresTheBestParameters() {
        // A tiny training split and a large learning rate: validation loss soon stops improving.
        Dataset[] parts = blobs(120, 6).splitValidation(0.5, 2);
        Network n = net(2);
        History h = trainer("sgd", 2.0, 200).batchSize(4).validation(parts[1]).patience(3).fit(n, parts[0]);
        assertTrue(h.stopReason() != null && h.stopReason().startsWith("early stopping"), h.stopReason());
        int best = h.restoredEpoch();
        double bestLoss = h.rows().stream().mapToDouble(History.Row::validationLoss).min().orElseThrow();
        assertEquals(bestLoss, h.rows().get(best).validationLoss());
        assertEquals(best + 3, h.last().epoch());
        assertEquals(bestLoss, Evaluation.of(n, new SoftmaxCrossEntropy(Reduction.MEAN), parts[1]).loss(), 1e-12);
    }

    @Test
    void divergenceStopsAtOnce() {
        Network n = net(1);
        n.parameters().get(0).value().set(0, 0, Double.POSITIVE_INFINITY);
        History h = trainer("sgd", 0.1, 10).fit(n, blobs(30, 7));
        assertTrue(h.diverged());
        assertEquals(0, h.last().epoch());
        assertEquals("the loss is NaN at the starting parameters", h.stopReason());
    }

    @Test
    void standardizationUsesTrainingStatistics() {
        Matrix x = Matrix.of(new double[][] {{1, 10}, {3, 10}, {5, 10}});
        Standardization s = Standardization.fit(new Dataset(x, new int[] {0, 1, 0}, List.of("p", "q"), "t").features());
        assertArrayEquals(new double[] {3, 10}, s.mean(), 1e-15);
        // Population sd of 1, 3, 5 is sqrt(8/3); a constant column gets sd 1 and maps to 0.
        assertArrayEquals(new double[] {Math.sqrt(8.0 / 3), 1}, s.std(), 1e-15);
        Matrix y = x.copy();
        s.applyInPlace(y, 3);
        assertArrayEquals(new double[] {-2 / Math.sqrt(8.0 / 3), 0, 0, 0, 2 / Math.sqrt(8.0 / 3), 0}, y.data(), 1e-15);
        assertFalse(Double.isNaN(y.get(0, 1)));
    }

    /** With the layers' backprop, and with the fused step in both types (float32 keeping θ in float). */
    @ParameterizedTest
    @ValueSource(strings = {"layers", "float64", "float32"})
    void aRunStoppedInTheMiddleOfAnEpochAndResumedEndsExactlyTheSame(String source) {
        Dataset[] parts = blobs(300, 9).splitValidation(0.2, 3);
        java.util.function.Supplier<Trainer> make = () -> new Trainer(source.equals("layers") ? TrainingStep.of(new Backpropagation())
                : new dev.descent.fused.FusedBackprop(dev.descent.tensor.Dtype.of(source)),
                new SoftmaxCrossEntropy(Reduction.MEAN), Optimizers.create("adam", 0.01), 6).batchSize(16).shuffleSeed(5)
                .validation(parts[1]).patience(4);
        Network whole = net(3);
        History expected = make.get().fit(whole, parts[0]);

        // Ask to stop after the 37th step: in the middle of epoch 3 (15 steps an epoch).
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
                return steps[0] >= 37;
            }
        };
        Network first = net(3);
        History stopped = make.get().checkpoints(stopper).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
                steps[0]++;
            }
        }).fit(first, parts[0]);
        assertTrue(stopped.interrupted());
        assertEquals(2, saved[0].epoch());
        assertEquals(7, saved[0].batch());

        Network second = net(99); // different starting values: everything must come from the state
        History resumed = make.get().fit(second, parts[0], saved[0]);
        assertEquals(whole.snapshot(), second.snapshot());
        assertEquals(expected.rows().stream().map(r -> List.of(r.epoch(), r.loss(), r.accuracy(), r.validationLoss()))
                .toList(), resumed.rows().stream().map(r -> List.of(r.epoch(), r.loss(), r.accuracy(), r.validationLoss()))
                .toList());
    }

    @Test
    void anOptimizerKeepsItsStatePerParameter() {
        Optimizer adam = Optimizers.create("adam", 0.01);
        Network n = net(1);
        History h = new Trainer(TrainingStep.of(new Backpropagation()), new SoftmaxCrossEntropy(Reduction.MEAN), adam, 20).batchSize(10)
                .fit(n, blobs(50, 8));
        assertTrue(h.last().loss() < h.first().loss());
    }
}
