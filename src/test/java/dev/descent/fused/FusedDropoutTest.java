package dev.descent.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dropout on the fused schedule: the reference schedule's gradients in both types, and a gradient check that passes. */
class FusedDropoutTest {
    /** in -> 24 f dropout -> 16 f dropout -> 5. */
    static Network network(String activation, long seed) {
        Network plain = new Architecture(30, List.of(24, 16), activation, 5).build();
        Initializer.PYTORCH.initialize(plain, seed);
        List<Layer> layers = new ArrayList<>();
        int dense = 0;
        for (Layer l : plain.layers()) {
            layers.add(l);
            dense += l instanceof Dense ? 1 : 0;
            if (!(l instanceof Dense) && dense < 3) {
                layers.add(new Dropout(0.3, dense));
            }
        }
        return new Network(30, layers);
    }

    static int[] labels(Random rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(5);
        }
        return y;
    }

    @ParameterizedTest
    @CsvSource({"relu, 130", "tanh, 64", "sigmoid, 31"})
    void givesTheReferenceGradientsInBothTypes(String activation, int batch) {
        Random rng = new Random(batch);
        Matrix x = Checks.random(rng, batch, 30);
        int[] y = labels(rng, batch);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Network n = network(activation, batch);
        assertTrue(FusedBackprop.schedules(n, loss));
        Dropout.train(n.layers(), 42);
        double ref = new Backpropagation().computeGradients(n, loss, x, y).loss();
        List<Matrix> expected = n.parameters().stream().map(p -> p.grad().copy()).toList();
        double f64 = new FusedBackprop(Dtype.FLOAT64).computeGradients(n, loss, x, y).loss();
        List<Matrix> viaF64 = n.parameters().stream().map(p -> p.grad().copy()).toList();
        double f32 = new FusedBackprop(Dtype.FLOAT32).computeGradients(n, loss, x, y).loss();
        List<Matrix> viaF32 = n.parameters().stream().map(p -> p.grad().copy()).toList();
        Dropout.evaluate(n.layers());
        double whole = new Backpropagation().computeGradients(n, loss, x, y).loss();

        assertTrue(Checks.worstRelativeDifference(expected, viaF64) < 1e-12);
        assertEquals(ref, f64, 1e-12 * ref);
        double e32 = Checks.worstRelativeDifference(expected, viaF32);
        assertTrue(e32 < 1e-4 && e32 > 0, "float32 rounding: " + e32);
        assertEquals(ref, f32, 1e-5 * ref);
        assertTrue(Math.abs(whole - ref) > 1e-6, "the masks dropped something: " + whole + " vs " + ref);
    }

    @ParameterizedTest
    @CsvSource({"tanh", "relu"})
    void theGradientCheckHoldsTheMasksAndPasses(String activation) {
        Random rng = new Random(3);
        Matrix x = Checks.random(rng, 40, 30);
        Network n = network(activation, 3);
        GradientCheckReport report = new GradientCheck().check(new FusedBackprop(Dtype.FLOAT64), n,
                new SoftmaxCrossEntropy(Reduction.SUM), x, labels(rng, 40));
        assertTrue(report.passed(), report.toString());
        assertTrue(n.layers().stream().noneMatch(l -> l instanceof Dropout d && d.training()), "left evaluating");
    }

    /** Schedule.fits (main's) knows dropout's place (issue 15's): after a dense layer's element-wise layer, once. */
    @Test
    void fitsTakesOneDropoutAfterEachDenseLayersActivation() {
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        List<List<Layer>> fit = List.of(
                List.of(new Dense(4, 3), Activation.of("relu"), new Dropout(0.2, 1), new Dense(3, 2)),
                List.of(new Dense(4, 3), new Dropout(0.2, 1), new Dense(3, 2)),
                List.of(new Dense(4, 3), Activation.of("tanh"), new Dense(3, 2), Activation.of("relu"),
                        new Dropout(0.5, 2)));
        List<List<Layer>> misfit = List.of(
                List.of(new Dense(4, 3), Activation.of("relu"), new Dropout(0.2, 1), new Dropout(0.2, 2),
                        new Dense(3, 2)),
                List.of(new Dense(4, 3), new Dropout(0.2, 1), Activation.of("relu"), new Dense(3, 2)),
                List.of(new Dropout(0.2, 1), new Dense(4, 2)));
        for (List<Layer> layers : fit) {
            Network n = new Network(4, layers);
            assertTrue(Schedule.fits(n), n.describe());
            assertTrue(Schedule.of(Ops.FLOAT64, n) != null, n.describe());
            assertTrue(FusedBackprop.schedules(n, loss), n.describe());
        }
        for (List<Layer> layers : misfit) {
            Network n = new Network(4, layers);
            assertFalse(Schedule.fits(n), n.describe());
            assertFalse(FusedBackprop.schedules(n, loss), n.describe());
        }
    }
}
