package dev.descent.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.TestLayers;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.gradient.Spsa;
import dev.descent.init.Initializer;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The zeroth-order step: its estimate's expectation, θ untouched by its evaluations, its two schedules. */
class FusedSpsaTest {
    private static final Loss LOSS = new SoftmaxCrossEntropy(Reduction.MEAN);

    private static Network network(int in, List<Integer> hidden, int out, long seed) {
        Network n = new Architecture(in, hidden, "tanh", out).build();
        Initializer.PYTORCH.initialize(n, seed);
        return n;
    }

    private static int[] labels(Random rng, int n, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(k);
        }
        return y;
    }

    /** Every parameter's gradient, concatenated. */
    private static double[] gradient(Network n) {
        List<Double> all = new ArrayList<>();
        for (Parameter p : n.parameters()) {
            for (double v : p.grad().data()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] theta(Network n) {
        List<Double> all = new ArrayList<>();
        for (Parameter p : n.parameters()) {
            for (double v : p.value().data()) {
                all.add(v);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double cosine(double[] a, double[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }

    private static long[] bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToRawLongBits(a[i]);
        }
        return b;
    }

    /**
     * E[ĝ] = ∇L: the mean of many estimates (each of one direction, as MeZO takes them) turns
     * toward backprop's gradient as the draws grow, its cosine near √(M/(M + d − 1)), the cosine
     * of one estimate of M directions (d = 288 here: 1,000 draws give 0.88, 30,000 give 0.995);
     * and its projection on the gradient, gᵀ·mean(ĝ)/‖g‖², is 1 within four standard errors
     * (√(2/M)) and the O(ε²) bias: the estimate is unbiased in scale and sign.
     */
    @Test
    void theMeanOfManyEstimatesIsTheGradient() {
        Random rng = new Random(11);
        Matrix x = Checks.random(rng, 24, 6);
        int[] y = labels(rng, 24, 4);
        Network n = network(6, List.of(24), 4, 3);
        new Backpropagation().computeGradients(n, LOSS, x, y);
        double[] g = gradient(n);
        int d = g.length;
        FusedSpsa spsa = new FusedSpsa(Dtype.FLOAT64, 1e-4, 1, Objective.LOSS);
        double[] sum = new double[d];
        double previous = 0;
        for (int m = 1; m <= 30_000; m++) {
            spsa.key(m);
            spsa.computeGradients(n, LOSS, x, y);
            double[] estimate = gradient(n);
            for (int i = 0; i < d; i++) {
                sum[i] += estimate[i];
            }
            if (m == 1_000 || m == 30_000) {
                double cos = cosine(sum, g), theory = Math.sqrt(m / (m + d - 1.0));
                assertEquals(theory, cos, 0.03, "cosine of the mean of " + m + " estimates");
                assertTrue(cos > previous, "more draws turn the mean toward the gradient: " + cos + " after " + previous);
                previous = cos;
                double projection = dot(g, sum) / m / dot(g, g);
                assertEquals(1.0, projection, 4 * Math.sqrt(2.0 / m) + 1e-3, "gᵀ·mean(ĝ)/‖g‖² after " + m);
            }
        }
        assertTrue(previous > 0.99, "cosine of the mean of 30,000 estimates: " + previous);
    }

    /**
     * A step's evaluations (n directions, each θ + εz then θ − εz) leave θ bit for bit where it
     * started, on both schedules and in both types; and the estimate they give is the same on the
     * fused schedule as on the reference (which perturbs the network's own θ and restores it from a
     * copy), to float64's rounding, and within float32's in float32.
     */
    @ParameterizedTest
    @CsvSource({"FLOAT64, 1", "FLOAT64, 3", "FLOAT32, 1", "FLOAT32, 4"})
    void evaluationsLeaveThetaExactly(Dtype dtype, int directions) {
        Random rng = new Random(directions);
        Matrix x = Checks.random(rng, 150, 30);
        int[] y = labels(rng, 150, 5);
        Network n = network(30, List.of(40, 20), 5, 7);
        long[] before = bits(theta(n));
        FusedSpsa fused = new FusedSpsa(dtype, 1e-3, directions, Objective.LOSS);
        Spsa reference = new Spsa(1e-3, directions, Objective.LOSS);
        fused.key(99);
        reference.key(99);
        GradientSource.Result r = fused.computeGradients(n, LOSS, x, y);
        assertArrayEquals(before, bits(theta(n)), "θ after the fused step's evaluations");
        double[] fusedEstimate = gradient(n);
        GradientSource.Result ref = reference.computeGradients(n, LOSS, x, y);
        assertArrayEquals(before, bits(theta(n)), "θ after the reference schedule's evaluations");
        double[] referenceEstimate = gradient(n);
        double tolerance = dtype == Dtype.FLOAT64 ? 1e-9 : 2e-2;
        assertEquals(1.0, cosine(fusedEstimate, referenceEstimate), tolerance);
        assertEquals(Math.sqrt(dot(referenceEstimate, referenceEstimate)), Math.sqrt(dot(fusedEstimate, fusedEstimate)),
                tolerance * Math.sqrt(dot(referenceEstimate, referenceEstimate)) * 5);
        assertEquals(ref.loss(), r.loss(), dtype == Dtype.FLOAT64 ? 1e-12 : 1e-5);
    }

    /**
     * With dropout, both points of a direction see the same masks (the step's key), and the fused
     * schedule draws the masks the reference does: the same estimate to rounding.
     */
    @Test
    void dropoutMasksAreTheReferencesOwn() {
        Random rng = new Random(21);
        Matrix x = Checks.random(rng, 130, 16);
        int[] y = labels(rng, 130, 4);
        Network plain = network(16, List.of(32, 24), 4, 3);
        List<Layer> layers = new ArrayList<>(plain.layers());
        layers.add(4, new Dropout(0.3, 77));
        layers.add(2, new Dropout(0.3, 78));
        Network n = new Network(16, layers);
        assertTrue(FusedSpsa.schedules(n, LOSS));
        Dropout.train(n.layers(), 5);
        FusedSpsa fused = new FusedSpsa(Dtype.FLOAT64, 1e-3, 2, Objective.LOSS);
        Spsa reference = new Spsa(1e-3, 2, Objective.LOSS);
        fused.key(4);
        reference.key(4);
        double fusedLoss = fused.computeGradients(n, LOSS, x, y).loss();
        double[] a = gradient(n);
        double referenceLoss = reference.computeGradients(n, LOSS, x, y).loss();
        Dropout.evaluate(n.layers());
        assertEquals(referenceLoss, fusedLoss, 1e-12);
        assertEquals(1.0, cosine(a, gradient(n)), 1e-9);
    }

    /** The step is θ ← θ − η·ĝ: the same θ as the estimate computed first and plain descent along it after. */
    @Test
    void theStepDescendsAlongTheEstimate() {
        Random rng = new Random(5);
        Matrix x = Checks.random(rng, 64, 10);
        int[] y = labels(rng, 64, 3);
        Network stepped = network(10, List.of(16), 3, 1), manual = network(10, List.of(16), 3, 1);
        FusedSpsa a = new FusedSpsa(Dtype.FLOAT64, 1e-3, 2, Objective.LOSS);
        FusedSpsa b = new FusedSpsa(Dtype.FLOAT64, 1e-3, 2, Objective.LOSS);
        for (int step = 0; step < 5; step++) {
            a.key(step);
            b.key(step);
            a.step(stepped, LOSS, x, y, new GradientDescent(0.1));
            b.computeGradients(manual, LOSS, x, y);
            new GradientDescent(0.1).step(manual.parameters());
        }
        assertArrayEquals(theta(manual), theta(stepped), 1e-14);
    }

    /**
     * The directions are the key's: the same key gives the same step bit for bit (a resumed run's),
     * another key another step.
     */
    @Test
    void theKeyFixesTheDirections() {
        Random rng = new Random(8);
        Matrix x = Checks.random(rng, 80, 12);
        int[] y = labels(rng, 80, 4);
        Network n = network(12, List.of(32), 4, 2);
        FusedSpsa spsa = new FusedSpsa(Dtype.FLOAT32, 1e-3, 2, Objective.LOSS);
        spsa.key(1);
        spsa.computeGradients(n, LOSS, x, y);
        double[] first = gradient(n);
        spsa.key(2);
        spsa.computeGradients(n, LOSS, x, y);
        double[] other = gradient(n);
        spsa.key(1);
        spsa.computeGradients(n, LOSS, x, y);
        assertArrayEquals(bits(first), bits(gradient(n)));
        assertTrue(Math.abs(cosine(first, other)) < 0.5, "two keys' estimates: cosine " + cosine(first, other));
    }

    /**
     * Training by the fused step never allocates a gradient: the run holds θ, the point its forward
     * passes read, and one batch's activations, as an inference does.
     */
    @Test
    void trainingAllocatesNoGradient() {
        Random rng = new Random(4);
        Matrix x = Checks.random(rng, 100, 20);
        int[] y = labels(rng, 100, 3);
        Network n = network(20, List.of(30), 3, 9);
        FusedSpsa spsa = new FusedSpsa(Dtype.FLOAT32, 1e-3, 1, Objective.LOSS);
        double start = LOSS.forward(n.forward(x), y);
        for (int step = 0; step < 400; step++) {
            spsa.key(step);
            spsa.step(n, LOSS, x, y, new GradientDescent(0.05));
        }
        for (Parameter p : n.parameters()) {
            assertFalse(p.hasGrad(), p.name() + " has a gradient");
        }
        assertTrue(LOSS.forward(n.forward(x), y) < start, "the loss fell");
    }

    /**
     * A network the fused schedule cannot run (a layer of one's own between the dense layers)
     * trains on the reference schedule: the same estimate, θ left exactly.
     */
    @Test
    void aLayerOfOnesOwnRunsOnTheReferenceSchedule() {
        Layer square = TestLayers.elementwise("square", v -> v * v, (v, dy) -> 2 * v * dy);
        Network n = Network.builder(6).dense(8).add(square).dense(3).build();
        Initializer.PYTORCH.initialize(n, 5);
        assertFalse(FusedSpsa.schedules(n, LOSS));
        Random rng = new Random(3);
        Matrix x = Checks.random(rng, 40, 6);
        int[] y = labels(rng, 40, 3);
        long[] before = bits(theta(n));
        FusedSpsa fused = new FusedSpsa(Dtype.FLOAT32, 1e-3, 2, Objective.LOSS);
        Spsa reference = new Spsa(1e-3, 2, Objective.LOSS);
        fused.key(3);
        reference.key(3);
        fused.computeGradients(n, LOSS, x, y);
        double[] a = gradient(n);
        reference.computeGradients(n, LOSS, x, y);
        assertArrayEquals(bits(a), bits(gradient(n)));
        assertArrayEquals(before, bits(theta(n)));
    }

    /**
     * A metric without a gradient descends too: the slope of the errors along a direction is
     * nonzero only where a sample's prediction flips, and training on it raises the accuracy of a
     * separable problem.
     */
    @Test
    void accuracyTrainsWithoutAGradient() {
        Random rng = new Random(12);
        int rows = 200;
        Matrix x = Checks.random(rng, rows, 4);
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = x.get(r, 0) + x.get(r, 1) > 0 ? 1 : 0;
        }
        Network n = network(4, List.of(8), 2, 6);
        Loss sum = new SoftmaxCrossEntropy(Reduction.MEAN);
        double before = 1 - Objective.ACCURACY.value(sum, n.forward(x), y);
        FusedSpsa spsa = new FusedSpsa(Dtype.FLOAT64, 0.05, 4, Objective.ACCURACY);
        for (int step = 0; step < 3000; step++) {
            spsa.key(step);
            spsa.step(n, sum, x, y, new GradientDescent(0.02));
        }
        double after = 1 - Objective.ACCURACY.value(sum, n.forward(x), y);
        assertTrue(after > Math.max(before + 0.1, 0.9), "accuracy " + before + " -> " + after);
    }
}
