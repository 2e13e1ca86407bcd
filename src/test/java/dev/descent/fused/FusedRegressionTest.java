package dev.descent.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.loss.Huber;
import dev.descent.loss.Loss;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.Reduction;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fused schedule runs the regression losses' row kernels as the reference schedule runs them. */
class FusedRegressionTest {
    private static Network network(String activation, long seed) {
        Network n = new Architecture(20, List.of(16, 12), activation, 3).build();
        Initializer.PYTORCH.initialize(n, seed);
        return n;
    }

    private static Loss loss(String name, Matrix targets) {
        return name.equals("mse") ? new MeanSquaredError(Reduction.MEAN, targets)
                : new Huber(Reduction.SUM, targets, 0.5);
    }

    /** Rows in a shuffled order, as a mini-batch of a larger set reads them. */
    private static int[] rows(Random rng, int n, int of) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = rng.nextInt(of);
        }
        return r;
    }

    @ParameterizedTest
    @CsvSource({"mse, relu, 130", "mse, tanh, 31", "huber, relu, 200", "huber, sigmoid, 97"})
    void givesTheReferenceGradientsInBothTypes(String name, String activation, int batch) {
        Random rng = new Random(batch);
        Matrix x = Checks.random(rng, batch, 20), targets = Checks.random(rng, 500, 3);
        int[] y = rows(rng, batch, 500);
        Loss l = loss(name, targets);
        Network n = network(activation, batch);
        GradientSource.Result ref = new Backpropagation().computeGradients(n, l, x, y);
        List<Matrix> expected = n.parameters().stream().map(p -> p.grad().copy()).toList();
        double refLoss = ref.loss();
        double f64 = new FusedBackprop(Dtype.FLOAT64).computeGradients(n, l, x, y).loss();
        List<Matrix> viaF64 = n.parameters().stream().map(p -> p.grad().copy()).toList();
        double f32 = new FusedBackprop(Dtype.FLOAT32).computeGradients(n, l, x, y).loss();
        List<Matrix> viaF32 = n.parameters().stream().map(p -> p.grad().copy()).toList();

        assertTrue(FusedBackprop.schedules(n, l));
        assertTrue(Checks.worstRelativeDifference(expected, viaF64) < 1e-12);
        assertEquals(refLoss, f64, 1e-12 * Math.abs(refLoss));
        double e32 = Checks.worstRelativeDifference(expected, viaF32);
        assertTrue(e32 < 1e-4 && e32 > 0, "float32 rounding: " + e32);
        assertEquals(refLoss, f32, 1e-5 * Math.abs(refLoss));
    }

    @ParameterizedTest
    @CsvSource({"mse", "huber"})
    void theFusedStepPassesTheGradientCheck(String name) {
        Random rng = new Random(5);
        Matrix x = Checks.random(rng, 40, 20), targets = Checks.random(rng, 40, 3);
        int[] y = rows(rng, 40, 40);
        Network n = network("tanh", 5);
        GradientCheckReport report = new GradientCheck().check(new FusedBackprop(Dtype.FLOAT64), n, loss(name, targets),
                x, y);
        assertTrue(report.passed(), report.toString());
    }
}
