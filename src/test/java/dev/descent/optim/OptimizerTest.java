package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.layers.Parameter;
import dev.descent.tensor.Matrix;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final double EXACT = 1e-15;

    private static Parameter param(double value, double grad) {
        Parameter p = new Parameter("θ", Matrix.rowVector(value));
        p.grad().set(0, 0, grad);
        return p;
    }

    @Test
    void sgdStepsAgainstTheGradient() {
        Parameter p = param(1.0, 2.0);
        new GradientDescent(0.1).step(List.of(p));
        assertEquals(0.8, p.value().get(0, 0), EXACT);
    }

    @Test
    void momentumAccumulatesVelocity() {
        Parameter p = param(1.0, 2.0);
        Momentum m = new Momentum(0.1, 0.9);
        m.step(List.of(p)); // v = 2, θ = 1 − 0.2 = 0.8
        m.step(List.of(p)); // v = 0.9·2 + 2 = 3.8, θ = 0.8 − 0.38 = 0.42
        assertEquals(0.42, p.value().get(0, 0), 1e-12);
        assertArrayEquals(new double[] {3.8}, m.velocity().get(0), 1e-12);
    }

    @Test
    void adamsFirstStepsFollowTheAlgorithm() {
        Parameter p = param(1.0, 0.5);
        Adam adam = new Adam(0.01);
        // t = 1: m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; step = 0.01 · 0.5 / (0.5 + 1e-8)
        adam.step(List.of(p));
        double expected = 1.0 - 0.01 * 0.5 / (0.5 + 1e-8);
        assertEquals(expected, p.value().get(0, 0), EXACT);
        // t = 2 with g = −1: m = 0.9·0.05 − 0.1 = −0.055, v = 0.999·0.00025 + 0.001 = 0.00124975
        p.grad().set(0, 0, -1.0);
        adam.step(List.of(p));
        double mHat = -0.055 / (1 - 0.81), vHat = 0.00124975 / (1 - 0.999 * 0.999);
        assertEquals(expected - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8), p.value().get(0, 0), 1e-12);
    }

    /** How the fused step applies an optimizer: begin once, then slices of each tensor, out of order. */
    @Test
    void updatingSlicesInAnyOrderIsTheWholeStep() {
        for (String name : Optimizers.NAMES) {
            java.util.Random rng = new java.util.Random(3);
            List<Parameter> whole = List.of(new Parameter("W", new Matrix(7, 5)), new Parameter("b", new Matrix(1, 5)));
            List<Parameter> sliced = List.of(new Parameter("W", new Matrix(7, 5)), new Parameter("b", new Matrix(1, 5)));
            Optimizer a = Optimizers.create(name, 0.01), b = Optimizers.create(name, 0.01);
            for (int step = 0; step < 3; step++) {
                for (int t = 0; t < 2; t++) {
                    for (int i = 0; i < whole.get(t).size(); i++) {
                        double g = rng.nextGaussian();
                        whole.get(t).grad().data()[i] = g;
                        sliced.get(t).grad().data()[i] = g;
                    }
                }
                a.step(whole);
                b.begin(sliced);
                for (int t = 1; t >= 0; t--) {
                    double[] theta = sliced.get(t).value().data(), g = sliced.get(t).grad().data();
                    int mid = theta.length / 3;
                    double[] tail = java.util.Arrays.copyOfRange(g, mid, g.length); // a gradient slice held elsewhere
                    b.update(t, theta, mid, theta.length, tail, 0);
                    b.update(t, theta, 0, mid, g, 0);
                }
            }
            for (int t = 0; t < 2; t++) {
                assertArrayEquals(whole.get(t).value().data(), sliced.get(t).value().data(), name + " tensor " + t);
            }
        }
    }

    @Test
    void namesAndBadSettings() {
        assertEquals("adam, lr 0.001, betas 0.9 0.999, eps 1.0E-8", Optimizers.create("adam", 0.001).describe());
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("rmsprop", 0.1));
        assertEquals("unknown optimizer 'rmsprop': expected one of sgd, momentum, adam", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 1.0));
    }
}
