package dev.descent.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.init.Initializer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Matrix;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FastCentralDifferenceTest {
    private static final Dataset SEED = SeedExample.dataset();

    private static Network seedNetwork() {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(n, 0);
        return n;
    }

    private static List<Matrix> gradients(GradientSource source, Network n, Loss loss, Matrix x, int[] y) {
        source.computeGradients(n, loss, x, y);
        return n.parameters().stream().map(p -> p.grad().copy()).toList();
    }

    private static double worst(List<Matrix> a, List<Matrix> b) {
        return Checks.worstRelativeDifference(a, b);
    }

    @Test
    void onTheSeedNetworkItMatchesBackpropToRounding() {
        Network n = seedNetwork();
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        List<Matrix> analytic = gradients(new Backpropagation(), n, loss, SEED.featureMatrix(), SEED.labels());
        List<Matrix> fast = gradients(new FastCentralDifference(1e-7), n, loss, SEED.featureMatrix(), SEED.labels());
        List<Matrix> plain = gradients(new CentralDifference(1e-7), n, loss, SEED.featureMatrix(), SEED.labels());
        // The plain method carries rounding of about ε·|L|/h ≈ 1e-8; the fast one sums loss changes directly.
        assertTrue(worst(analytic, fast) < 1e-12, "fast vs backprop: " + worst(analytic, fast));
        assertTrue(worst(analytic, plain) < 1e-6, "plain vs backprop: " + worst(analytic, plain));
        assertTrue(worst(plain, fast) < 1e-6, "fast vs plain: " + worst(plain, fast));
    }

    /**
     * With a large step the O(h²) terms of a central difference stand well above rounding: the
     * cached engine must reproduce them (its series' higher terms), not the analytic gradient.
     */
    @ParameterizedTest(name = "h = {0}")
    @CsvSource({"2e-4", "5e-3"})
    void withALargeStepItIsStillTheCentralDifferenceNotTheAnalyticGradient(double h) {
        Network n = seedNetwork();
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        List<Matrix> analytic = gradients(new Backpropagation(), n, loss, SEED.featureMatrix(), SEED.labels());
        List<Matrix> fast = gradients(new FastCentralDifference(h), n, loss, SEED.featureMatrix(), SEED.labels());
        List<Matrix> plain = gradients(new CentralDifference(h), n, loss, SEED.featureMatrix(), SEED.labels());
        assertTrue(worst(plain, fast) < 1e-9, "fast vs plain: " + worst(plain, fast));
        assertTrue(worst(analytic, fast) > 10 * worst(plain, fast), "the O(h²) error is there: " + worst(analytic, fast));
    }

    /** Hidden-layer series terms, where they are large enough to see: inputs in [0, 1), output weights up to 0.9. */
    @Test
    void theHiddenLayerSeriesMatchesThePlainMethodWhereItsHigherTermsShow() {
        Random rng = new Random(12);
        Matrix x = new Matrix(8, 3);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextDouble();
        }
        int[] y = {0, 1, 2, 0, 1, 2, 2, 1};
        Network n = new Architecture(3, List.of(6), "relu", 3).build();
        for (Parameter p : n.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data()[i] = p.name().startsWith("W2") ? 0.9 * (2 * rng.nextDouble() - 1) : rng.nextGaussian();
            }
        }
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        double h = 1e-3; // |h·x|·max|w| < 1e-3: every unit that stays on one side takes the series
        List<Matrix> fast = gradients(new FastCentralDifference(h), n, loss, x, y);
        List<Matrix> plain = gradients(new CentralDifference(h), n, loss, x, y);
        List<Matrix> analytic = gradients(new Backpropagation(), n, loss, x, y);
        assertTrue(worst(plain, fast) < 1e-10, "fast vs plain: " + worst(plain, fast));
        assertTrue(worst(analytic, fast) > 100 * worst(plain, fast), "the O(h²) terms show: " + worst(analytic, fast));
    }

    @Test
    void itTrainsTheSeedNetworkAsThePlainMethodDoes() {
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        double[] plain = new Trainer(TrainingStep.of(new CentralDifference()), loss, new GradientDescent(0.05), 100).fit(seedNetwork(), SEED)
                .losses();
        double[] fast = new Trainer(TrainingStep.of(new FastCentralDifference()), loss, new GradientDescent(0.05), 100)
                .fit(seedNetwork(), SEED).losses();
        for (int e = 0; e < plain.length; e++) {
            assertEquals(plain[e], fast[e], 1e-8 * plain[e], "epoch " + e);
        }
    }

    @ParameterizedTest(name = "{0} hidden {1}, {2}")
    @CsvSource({"sigmoid, 7, mean", "tanh, '8,6', sum", "relu, '9,7,5', mean"})
    void onDeeperNetworksAndRealValuedInputsItMatchesBackprop(String activation, String hidden, String reduction) {
        Random rng = new Random(4);
        Matrix x = Checks.random(rng, 12, 5);
        int[] y = new int[12];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 4;
        }
        List<Integer> widths = java.util.Arrays.stream(hidden.split(",")).map(String::trim).map(Integer::valueOf).toList();
        Network n = new Architecture(5, widths, activation, 4).build();
        Initializer.XAVIER.initialize(n, 8);
        Loss loss = new SoftmaxCrossEntropy(Reduction.parse(reduction));
        List<Matrix> analytic = gradients(new Backpropagation(), n, loss, x, y);
        List<Matrix> fast = gradients(new FastCentralDifference(1e-6), n, loss, x, y);
        // The last two dense layers are computed from cached activations; earlier ones by the plain method.
        assertTrue(worst(analytic, fast) < 1e-7, "fast vs backprop: " + worst(analytic, fast));
    }

    @Test
    void aNetworkWithAUsersLayerGetsExactlyThePlainMethod() {
        dev.descent.layers.Layer cube = dev.descent.TestLayers.elementwise("cube", v -> v * v * v,
                (v, dy) -> 3 * v * v * dy);
        Network n = Network.builder(5).dense(6).add(cube).dense(10).build();
        Initializer.XAVIER.initialize(n, 5);
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        assertFalse(FastCentralDifference.supports(n, loss));
        assertEquals(gradients(new CentralDifference(), n, loss, SEED.featureMatrix(), SEED.labels()),
                gradients(new FastCentralDifference(), n, loss, SEED.featureMatrix(), SEED.labels()));
    }

    @Test
    void parametersAreLeftExactlyAsTheyWere() {
        Network n = seedNetwork();
        List<Matrix> before = n.snapshot();
        new FastCentralDifference().computeGradients(n, new SoftmaxCrossEntropy(Reduction.SUM), SEED.featureMatrix(),
                SEED.labels());
        assertEquals(before, n.snapshot());
        for (Parameter p : n.parameters()) {
            assertTrue(p.grad().data().length > 0);
        }
    }

    @Test
    void seriesAreExactToRoundingWhereTheyAreUsed() {
        for (double u : new double[] {1e-12, -3e-8, 1e-6, -7e-5, 9.9e-4, -9.9e-4}) {
            assertEquals(Math.expm1(u), FastCentralDifference.expm1(u), 4.5e-16 * Math.abs(u)); // two units in the last place
            assertEquals(Math.log1p(u), FastCentralDifference.log1p(u), 4.5e-16 * Math.abs(u)); // two units in the last place
        }
    }
}
