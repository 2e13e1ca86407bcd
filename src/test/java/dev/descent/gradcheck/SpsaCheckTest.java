package dev.descent.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.GradientSource;
import dev.descent.gradient.Spsa;
import dev.descent.init.Initializer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Objective;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpsaCheckTest {
    private static final Loss LOSS = new SoftmaxCrossEntropy(Reduction.MEAN);

    /** ln Γ against factorials and Γ(1/2) = √π; E[cos] against the closed forms it must reduce to. */
    @Test
    void theoryIsRight() {
        assertEquals(Math.log(24), SpsaCheck.logGamma(5), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), SpsaCheck.logGamma(0.5), 1e-13);
        assertEquals(Math.log(362880), SpsaCheck.logGamma(10), 1e-12);
        // d = 2, n = 1: the angle to a fixed vector is uniform, E|cos| = 2/π
        assertEquals(2 / Math.PI, SpsaCheck.expectedCosine(1, 2), 1e-12);
        // d = 3, n = 1: |cos| of a uniform direction in 3-D is uniform on [0, 1]
        assertEquals(0.5, SpsaCheck.expectedCosine(1, 3), 1e-12);
        assertEquals(Math.sqrt(1.0 / 12), SpsaCheck.cosineSpread(1, 3), 1e-12);
        // d ≫ n: E[√χ²_n]/√d ≈ √((n − 1/2)/d), a little under √(n/d)
        assertEquals(Math.sqrt(15.5 / 101_770), SpsaCheck.expectedCosine(16, 101_770), 1e-3 * Math.sqrt(16.0 / 101_770));
    }

    private record Problem(Network network, Matrix x, int[] y) {}

    private static Problem problem() {
        Random rng = new Random(4);
        Matrix x = Checks.random(rng, 40, 8);
        int[] y = new int[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(3);
        }
        Network n = new Architecture(8, List.of(12), "tanh", 3).build();
        Initializer.PYTORCH.initialize(n, 2);
        return new Problem(n, x, y);
    }

    /** An estimate that multiplies the right one by a factor: -1 (a flipped sign) or 3 (a wrong scale). */
    private static GradientSource scaled(Spsa spsa, double factor) {
        return new GradientSource() {
            @Override
            public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
                Result r = spsa.computeGradients(network, loss, x, labels);
                for (Parameter p : network.parameters()) {
                    double[] g = p.grad().data();
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= factor;
                    }
                }
                return r;
            }

            @Override
            public String describe() {
                return "spsa times " + factor;
            }
        };
    }

    @Test
    void aRightEstimatePassesAndAWrongOneFailsSayingWhy() {
        Problem p = problem();
        long[] before = p.network().snapshot().stream().flatMapToDouble(m -> Arrays.stream(m.data()))
                .mapToLong(Double::doubleToRawLongBits).toArray();
        SpsaCheck check = new SpsaCheck(300);
        Spsa spsa = new Spsa(1e-4, 2, Objective.LOSS);
        SpsaCheckReport right = check.check(spsa, spsa::key, 2, 1e-4, new Backpropagation(), p.network(), LOSS, p.x(),
                p.y());
        assertTrue(right.passed(), right.table() + right.summary());
        assertEquals(right.expectedCosine(), right.cosineMean(), 4 * right.expectedSpread() / Math.sqrt(300));
        assertTrue(right.meanCosine() > 0.9, "the mean of 300 estimates: " + right.meanCosine());
        // the bias falls as ε² where the loss is smooth (tanh): about 100x a decade
        double ratio = right.bias().get(1).relativeError() / right.bias().get(2).relativeError();
        assertTrue(ratio > 30 && ratio < 300, right.table());
        long[] after = p.network().snapshot().stream().flatMapToDouble(m -> Arrays.stream(m.data()))
                .mapToLong(Double::doubleToRawLongBits).toArray();
        assertEquals(Arrays.toString(before), Arrays.toString(after), "θ left as it was");

        SpsaCheckReport flipped = check.check(scaled(spsa, -1), spsa::key, 2, 1e-4, new Backpropagation(), p.network(),
                LOSS, p.x(), p.y());
        assertFalse(flipped.passed());
        assertTrue(flipped.summary().contains("flipped sign"), flipped.summary());

        SpsaCheckReport tripled = check.check(scaled(spsa, 3), spsa::key, 2, 1e-4, new Backpropagation(), p.network(),
                LOSS, p.x(), p.y());
        assertFalse(tripled.passed());
        assertTrue(tripled.cosineAgrees(), "a scale leaves the cosine as it is");
        assertTrue(tripled.summary().contains("scale is off"), tripled.summary());
    }
}
