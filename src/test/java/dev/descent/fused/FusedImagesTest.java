package dev.descent.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.data.Features;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.layers.Dropout;
import dev.descent.layers.Shape;
import dev.descent.loss.Loss;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused schedule of a network of images against the reference schedule, the layers' own
 * backward: 1e-12 in float64, float32's rounding in float32, with the optimizer's update fused in,
 * straight from a data set's rows, and with dropout.
 */
class FusedImagesTest {
    private static final Shape IMAGE = new Shape(2, 8, 8);

    /** 2x8x8 -> conv 4 k3 p1, f, max 2 -> conv 6 k3 s2 p1, f, avg 2 -> flatten -> 10 f -> 5. */
    static Network network(String activation, long seed) {
        Network n = Network.builder(IMAGE).conv(4, 3, 1, 1).activation(activation).maxPool(2, 2).conv(6, 3, 2, 1)
                .activation(activation).avgPool(2, 2).dense(10).activation(activation).dense(5).build();
        Initializer.PYTORCH.initialize(n, seed);
        return n;
    }

    static int[] labels(Random rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(5);
        }
        return y;
    }

    private static List<Matrix> grads(Network n) {
        return n.parameters().stream().map(p -> p.grad().copy()).toList();
    }

    /**
     * A batch of 1 and of 3 run in one block; 64 in a block per core; 130 leaves blocks and groups
     * of unequal size, and 150 sixteen groups of the weight gradient.
     */
    @ParameterizedTest
    @CsvSource({"relu, 1, MEAN", "relu, 3, SUM", "relu, 64, MEAN", "relu, 130, MEAN", "tanh, 150, SUM",
        "sigmoid, 37, MEAN"})
    void givesTheReferenceGradients(String activation, int batch, Reduction reduction) {
        Random rng = new Random(batch);
        Matrix x = Checks.random(rng, batch, IMAGE.size());
        int[] y = labels(rng, batch);
        Loss loss = new SoftmaxCrossEntropy(reduction);
        Network n = network(activation, batch);
        assertTrue(FusedBackprop.schedules(n, loss));
        var ref = new Backpropagation().computeGradients(n, loss, x, y);
        double refLoss = ref.loss(), refOut = ref.output().get(batch - 1, 2);
        List<Matrix> expected = grads(n);
        var f64 = new FusedBackprop(Dtype.FLOAT64).computeGradients(n, loss, x, y);
        List<Matrix> viaF64 = grads(n);
        var f32 = new FusedBackprop(Dtype.FLOAT32).computeGradients(n, loss, x, y);
        List<Matrix> viaF32 = grads(n);

        double e64 = Checks.worstRelativeDifference(expected, viaF64);
        assertTrue(e64 < 1e-12, "float64: " + e64);
        assertEquals(refLoss, f64.loss(), 1e-12 * Math.abs(refLoss));
        assertEquals(refOut, f64.output().get(batch - 1, 2), 1e-12 * Math.max(1, Math.abs(refOut)));
        double e32 = Checks.worstRelativeDifference(expected, viaF32);
        assertTrue(e32 < 1e-4 && e32 > 0, "float32 should differ by float32 rounding, not more and not zero: " + e32);
        assertEquals(refLoss, f32.loss(), 1e-5 * Math.abs(refLoss));
    }

    /**
     * Two poolings in a row, of different widths (max 2, then average 2 with stride 1): each core
     * writes the second's input gradient where the first read the other cores' rows, so the cores
     * must meet between them. Repeated, as a race shows only some of the time.
     */
    @ParameterizedTest
    @CsvSource({"64", "130"})
    void twoPoolingsInARowGiveTheReferenceGradients(int batch) {
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        for (int round = 0; round < 20; round++) {
            Random rng = new Random(round);
            Matrix x = Checks.random(rng, batch, IMAGE.size());
            int[] y = labels(rng, batch);
            Network n = Network.builder(IMAGE).conv(4, 3, 1, 1).activation("relu").maxPool(2, 2).avgPool(2, 1)
                    .dense(5).build();
            Initializer.PYTORCH.initialize(n, round);
            new Backpropagation().computeGradients(n, loss, x, y);
            List<Matrix> expected = grads(n);
            new FusedBackprop(Dtype.FLOAT64).computeGradients(n, loss, x, y);
            double e = Checks.worstRelativeDifference(expected, grads(n));
            assertTrue(e < 1e-12, "round " + round + ": " + e);
        }
    }

    /** In float64, with the update fused in: the gradients, then the optimizer's step, to 1e-12 after three steps. */
    @ParameterizedTest
    @CsvSource({"FLOAT64, sgd", "FLOAT64, adam", "FLOAT32, adam", "FLOAT32, momentum"})
    void aFusedUpdateIsTheReferenceGradientsThenTheStep(Dtype dtype, String optimizer) {
        Random rng = new Random(9);
        Matrix x = Checks.random(rng, 96, IMAGE.size());
        int[] y = labels(rng, 96);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network a = network("relu", 9), b = network("relu", 9);
        FusedBackprop fused = new FusedBackprop(dtype);
        Optimizer oa = Optimizers.create(optimizer, 0.01), ob = Optimizers.create(optimizer, 0.01);
        Backpropagation reference = new Backpropagation();
        for (int step = 0; step < 3; step++) {
            double la = fused.step(a, loss, x, y, oa).loss();
            double lb = reference.computeGradients(b, loss, x, y).loss();
            ob.step(b.parameters());
            assertEquals(lb, la, (dtype == Dtype.FLOAT64 ? 1e-12 : 1e-5) * lb, "loss at step " + step);
        }
        double worst = Checks.worstRelativeDifference(b.snapshot(), a.snapshot());
        assertTrue(worst < (dtype == Dtype.FLOAT64 ? 1e-12 : 1e-4), "θ after three steps: " + worst);
    }

    /** Each core gathers its images straight from a data set; a run of steps keeps θ in float until it closes. */
    @Test
    void aRunOfStepsFromADataSetIsFreshStepsFromMatrices() {
        Random rng = new Random(12);
        int rows = 192, batch = 64;
        Matrix data = Checks.random(rng, rows, IMAGE.size());
        Features f = Features.of(data);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = (i * 7) % rows;
        }
        int[] y = labels(rng, batch);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network a = network("relu", 4), b = network("relu", 4);
        FusedBackprop fa = new FusedBackprop(Dtype.FLOAT32), fb = new FusedBackprop(Dtype.FLOAT32);
        Optimizer oa = Optimizers.create("adam", 0.01), ob = Optimizers.create("adam", 0.01);
        Matrix shape = new Matrix(batch, IMAGE.size());
        try (TrainingStep.Run run = fa.run(a, loss, oa)) {
            for (int step = 0; step < 3; step++) {
                Matrix x = new Matrix(batch, IMAGE.size());
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(data.data(), order[step * batch + r] * IMAGE.size(), x.data(), r * IMAGE.size(),
                            IMAGE.size());
                }
                double la = run.step(f, order, step * batch, shape, y).loss();
                double lb = fb.step(b, loss, x, y, ob).loss();
                assertEquals(lb, la, "step " + step);
            }
        }
        for (int t = 0; t < a.parameters().size(); t++) {
            assertArrayEquals(b.parameters().get(t).value().data(), a.parameters().get(t).value().data(), "tensor " + t);
        }
    }

    /** Dropout after pooling and after the hidden dense layer, as the recipe places it: the same masks in both schedules. */
    @Test
    void dropoutDrawsTheSameMasksOnBothSchedules() {
        Random rng = new Random(3);
        Matrix x = Checks.random(rng, 70, IMAGE.size());
        int[] y = labels(rng, 70);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network n = Recipe.forData().withLayers("conv4k3p1,pool2,conv6k3s2p1,avgpool2,10").withInputShape(IMAGE)
                .withDropout(0.3).withInit(Initializer.PYTORCH).network(IMAGE.size(), 5);
        assertEquals(3, n.layers().stream().filter(l -> l instanceof Dropout).count(), n.describe());
        Dropout.train(n.layers(), 42);
        double ref = new Backpropagation().computeGradients(n, loss, x, y).loss();
        List<Matrix> expected = grads(n);
        double f64 = new FusedBackprop(Dtype.FLOAT64).computeGradients(n, loss, x, y).loss();
        assertTrue(Checks.worstRelativeDifference(expected, grads(n)) < 1e-12);
        assertEquals(ref, f64, 1e-12 * ref);
        Dropout.evaluate(n.layers());
    }

    /** What trains is what is checked: the fused step of a convolutional network against central differences. */
    @Test
    void theFusedStepPassesTheGradientCheck() {
        Random rng = new Random(21);
        Matrix x = Checks.random(rng, 6, IMAGE.size());
        Network n = network("tanh", 21);
        GradientCheckReport report = new GradientCheck().check(new FusedBackprop(Dtype.FLOAT64), n,
                new SoftmaxCrossEntropy(Reduction.MEAN), x, labels(rng, 6));
        assertTrue(report.passed(), report.toString());
    }
}
