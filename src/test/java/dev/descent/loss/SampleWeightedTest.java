package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.tensor.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sample weights over cross-entropy and a regression loss: by hand, against central differences, float32. */
class SampleWeightedTest {
    private static final double EXACT = 1e-15;

    @Test
    void byHandOverCrossEntropy() {
        // Two samples, logits (0, 0) each: ℓ = ln 2 each; weights 3 and 0.5, labels as indices 1 then 0.
        SampleWeighted loss = new SampleWeighted(new SoftmaxCrossEntropy(Reduction.MEAN), new int[] {0, 1},
                new double[] {3, 0.5});
        double l = loss.forward(new Matrix(2, 2), new int[] {1, 0});
        assertEquals((0.5 + 3) * Math.log(2) / 2, l, EXACT);
        // row 0 is sample 1 (class 1, w 0.5): 0.5·(0.5, −0.5)/2; row 1 is sample 0 (class 0, w 3): 3·(−0.5, 0.5)/2
        assertArrayEquals(new double[] {0.125, -0.125, -0.75, 0.75}, loss.backward().data(), EXACT);
    }

    @Test
    void weightsOfOneAreTheBaseLoss() {
        Random rng = new Random(3);
        Matrix z = Checks.random(rng, 5, 4);
        int[] classes = {3, 0, 2, 2, 1};
        SoftmaxCrossEntropy plain = new SoftmaxCrossEntropy(Reduction.MEAN);
        double expected = plain.forward(z, classes);
        SampleWeighted weighted = new SampleWeighted(new SoftmaxCrossEntropy(Reduction.MEAN), classes,
                new double[] {1, 1, 1, 1, 1});
        assertEquals(expected, weighted.forward(z, new int[] {0, 1, 2, 3, 4}), EXACT);
        assertArrayEquals(plain.backward().data(), weighted.backward().data(), EXACT);
    }

    @Test
    void aSampleOfWeightZeroAddsNothingEvenWhenItsLossIsInfinite() {
        // regression target far out: its loss overflows to infinity, yet weight 0 leaves L finite and its row 0
        Matrix targets = Matrix.of(new double[][] {{0}, {1e300}});
        SampleWeighted loss = new SampleWeighted(new MeanSquaredError(Reduction.SUM, targets), new int[] {0, 1},
                new double[] {2, 0});
        double l = loss.forward(Matrix.of(new double[][] {{1}, {-1e300}}), new int[] {0, 1});
        assertEquals(2.0, l, EXACT);
        assertArrayEquals(new double[] {4, 0}, loss.backward().data(), EXACT);
        assertTrue(!loss.classifies());
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void gradientMatchesCentralDifferences(Reduction reduction) {
        Random rng = new Random(234);
        Matrix z = Checks.random(rng, 6, 3);
        int[] samples = {4, 0, 3, 3, 2, 1};
        SampleWeighted ce = new SampleWeighted(new SoftmaxCrossEntropy(reduction), new int[] {2, 0, 1, 1, 0},
                new double[] {0.5, 2, 0, 1.5, 3});
        SampleWeighted mse = new SampleWeighted(new MeanSquaredError(reduction, Checks.random(rng, 5, 3)),
                new int[] {0, 1, 2, 3, 4}, new double[] {0.25, 1, 4, 0, 2});
        for (SampleWeighted loss : new SampleWeighted[] {ce, mse}) {
            loss.forward(z, samples);
            Matrix dz = loss.backward().copy();
            for (int i = 0; i < z.size(); i++) {
                double numeric = Checks.centralDifference(z.data(), i, () -> loss.forward(z, samples));
                double err = Checks.relativeError(dz.data()[i], numeric);
                assertTrue(err < Checks.GRAD_RTOL, loss + ", entry " + i + ": relative error " + err);
            }
        }
    }

    @Test
    void rowsInFloatAreRowsInDoubleRounded() {
        int n = 6, k = 3;
        Random rng = new Random(8);
        double[] z = Checks.random(rng, n, k).data(), g = new double[n * k], scratch = new double[k];
        int[] samples = {5, 4, 3, 2, 1, 0};
        SampleWeighted loss = new SampleWeighted(new SoftmaxCrossEntropy(Reduction.MEAN), new int[] {0, 1, 2, 0, 1, 2},
                new double[] {1, 0.5, 2, 0, 3, 1});
        double l = loss.rows(z, 0, n, k, samples, 0, 1.0 / n, g, scratch);
        float[] gf = new float[n * k];
        double lf = loss.rows(Checks.toFloat(z), 0, n, k, samples, 0, 1.0 / n, gf, scratch);
        Checks.assertFloatTwin(g, gf, "gradient");
        assertEquals(l, lf, 1e-6 * l);
    }
}
