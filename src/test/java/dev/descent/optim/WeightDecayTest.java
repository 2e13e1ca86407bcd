package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.layers.Parameter;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Weight decay: for sgd and momentum, the gradient of the L2 penalty (λ/2)·‖θ‖², measured by
 * central differences, added to the loss's; for adam, decoupled (AdamW), a shrink of θ by η·λ
 * that does not pass through the moments.
 */
class WeightDecayTest {
    private static final double H = 1e-6;
    private static final double CENTRAL = 1e-8; // central differences of a quadratic: rounding only
    private static final double EXACT = 1e-15;

    private static Parameter random(Random rng, int n) {
        Parameter p = new Parameter("θ", new Matrix(1, n));
        for (int i = 0; i < n; i++) {
            p.value().data()[i] = rng.nextGaussian();
            p.grad().data()[i] = rng.nextGaussian();
        }
        return p;
    }

    private static double penalty(double[] theta, double lambda) {
        double s = 0;
        for (double v : theta) {
            s += v * v;
        }
        return 0.5 * lambda * s;
    }

    /** g + d/dθ (λ/2)‖θ‖², the derivative by central differences at every θ_i. */
    private static double[] gradientWithPenalty(Parameter p, double lambda) {
        double[] theta = p.value().data().clone(), out = p.grad().data().clone();
        for (int i = 0; i < theta.length; i++) {
            double keep = theta[i];
            theta[i] = keep + H;
            double plus = penalty(theta, lambda);
            theta[i] = keep - H;
            double minus = penalty(theta, lambda);
            theta[i] = keep;
            out[i] += (plus - minus) / (2 * H);
        }
        return out;
    }

    @Test
    void sgdAndMomentumDescendTheLossPlusTheL2PenaltyMeasuredByCentralDifferences() {
        for (String name : List.of("sgd", "momentum")) {
            Random rng = new Random(7);
            Parameter decayed = random(rng, 12);
            Parameter plain = new Parameter("θ", decayed.value().copy());
            Optimizers.Settings s = new Optimizers.Settings(name, 0.05, 0.8, 0.9, 0.999, 1e-8, 0.3);
            Optimizer withDecay = Optimizers.create(s);
            Optimizer without = Optimizers.create(new Optimizers.Settings(name, 0.05, 0.8, 0.9, 0.999, 1e-8, 0.0));
            for (int step = 0; step < 3; step++) {
                double[] g = decayed.grad().data();
                for (int i = 0; i < g.length; i++) {
                    g[i] = rng.nextGaussian();
                }
                double[] total = gradientWithPenalty(decayed, 0.3);
                System.arraycopy(total, 0, plain.grad().data(), 0, total.length);
                withDecay.step(List.of(decayed));
                without.step(List.of(plain));
                assertArrayEquals(plain.value().data(), decayed.value().data(), CENTRAL, name + " step " + step);
            }
        }
    }

    @Test
    void adamsDecayIsDecoupledFromTheGradient() {
        // One step by hand: θ = 1, g = 0.5, η = 0.1, λ = 0.01: θ ← (1 − 0.001)·1 − 0.1·0.5/(0.5 + 1e-8).
        Parameter p = new Parameter("θ", Matrix.rowVector(1.0));
        p.grad().set(0, 0, 0.5);
        new Adam(0.1, 0.9, 0.999, 1e-8, 0.01).step(List.of(p));
        assertEquals(0.999 - 0.1 * 0.5 / (0.5 + 1e-8), p.value().get(0, 0), EXACT);

        // Decoupled: the shrink does not depend on the gradient's scale, as it would if λθ were added to g.
        for (double scale : new double[] {1e-3, 1.0, 1e3}) {
            Parameter a = new Parameter("θ", Matrix.rowVector(2.0)), b = new Parameter("θ", Matrix.rowVector(2.0));
            a.grad().set(0, 0, scale);
            b.grad().set(0, 0, scale);
            new Adam(0.1, 0.9, 0.999, 1e-8, 0.5).step(List.of(a));
            new Adam(0.1, 0.9, 0.999, 1e-8, 0.0).step(List.of(b));
            assertEquals(-0.1 * 0.5 * 2.0, a.value().get(0, 0) - b.value().get(0, 0), 1e-12, "scale " + scale);
        }
    }

    @Test
    void theFloat32UpdatesMatchTheFloat64OnesToFloatRounding() {
        for (String name : Optimizers.NAMES) {
            Random rng = new Random(11);
            Parameter p = random(rng, 16);
            float[] theta = new float[16], g = new float[16];
            for (int i = 0; i < 16; i++) {
                p.value().data()[i] = theta[i] = (float) p.value().data()[i];
                p.grad().data()[i] = g[i] = (float) p.grad().data()[i];
            }
            Optimizers.Settings s = new Optimizers.Settings(name, 0.01, 0.9, 0.9, 0.999, 1e-8, 0.1);
            Optimizer d = Optimizers.create(s), f = Optimizers.create(s);
            d.step(List.of(p));
            f.begin(List.of(p), true);
            f.update(0, theta, 0, 16, g);
            for (int i = 0; i < 16; i++) {
                assertEquals(p.value().data()[i], theta[i], 1e-6, name + " entry " + i);
            }
        }
    }

    @Test
    void describedAndChecked() {
        assertEquals("adam, lr 0.001, betas 0.9 0.999, eps 1.0E-8, weight decay 0.01 (decoupled, AdamW)",
                new Adam(0.001, 0.9, 0.999, 1e-8, 0.01).describe());
        assertEquals("sgd (plain gradient descent), lr 0.1, weight decay 0.001", new GradientDescent(0.1, 0.001).describe());
        var e = assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 0.9, -1));
        assertEquals("the weight decay must be zero or positive and finite, got -1.0", e.getMessage());
    }
}
