package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.tensor.Matrix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    private static final double EXACT = 1e-15;

    @Test
    void handComputedCase() {
        // Row 1: logits [0, 0], label 0 -> p = [1/2, 1/2], ℓ = ln 2.
        // Row 2: logits [0, ln 3], label 1 -> p = [1/4, 3/4], ℓ = -ln(3/4).
        Matrix z = Matrix.of(new double[][] {{0, 0}, {0, Math.log(3)}});
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        assertEquals(Math.log(2) - Math.log(0.75), loss.forward(z, new int[] {0, 1}), EXACT);
        assertArrayEquals(new double[] {-0.5, 0.5, 0.25, -0.25}, loss.backward().data(), EXACT);

        SoftmaxCrossEntropy mean = new SoftmaxCrossEntropy(Reduction.MEAN);
        assertEquals((Math.log(2) - Math.log(0.75)) / 2, mean.forward(z, new int[] {0, 1}), EXACT);
        assertArrayEquals(new double[] {-0.25, 0.25, 0.125, -0.125}, mean.backward().data(), EXACT);
    }

    @Test
    void stableForHugeLogits() {
        // log(p + 1e-7) would give -log(1e-7) ≈ 16.1 here; the true loss is 1000.
        double l = new SoftmaxCrossEntropy(Reduction.SUM).forward(Matrix.rowVector(1000, 0), new int[] {1});
        assertEquals(1000.0, l, 1e-12);
    }

    @Test
    void softmaxRowsSumToOne() {
        Matrix p = SoftmaxCrossEntropy.softmax(Checks.random(new Random(3), 8, 10));
        for (int r = 0; r < p.rows(); r++) {
            double sum = 0;
            for (int c = 0; c < p.cols(); c++) {
                assertTrue(p.get(r, c) > 0);
                sum += p.get(r, c);
            }
            assertEquals(1.0, sum, 1e-15);
        }
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void gradientMatchesCentralDifferences(Reduction reduction) {
        Random rng = new Random(234);
        Matrix z = Checks.random(rng, 6, 4);
        int[] labels = {0, 3, 1, 1, 2, 0};
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(reduction);
        loss.forward(z, labels);
        Matrix dz = loss.backward().copy(); // the loss reuses its buffer at the next forward
        for (int i = 0; i < z.size(); i++) {
            double numeric = Checks.centralDifference(z.data(), i, () -> loss.forward(z, labels));
            double err = Checks.relativeError(dz.data()[i], numeric);
            assertTrue(err < Checks.GRAD_RTOL, "entry " + i + ": relative error " + err);
        }
    }

    /** The float32 row kernel against the float64 one: the loss and the gradient, to float's rounding. */
    @Test
    void rowsInFloatAreRowsInDoubleRounded() {
        int n = 7, k = 5;
        double[] z = Checks.random(new Random(8), n, k).data(), g = new double[n * k];
        int[] labels = {0, 4, 1, 1, 3, 2, 0};
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        double l = loss.rows(z, 0, n, k, labels, 0, 1.0 / n, g, new double[k]);
        float[] gf = new float[n * k];
        double lf = loss.rows(Checks.toFloat(z), 0, n, k, labels, 0, 1.0 / n, gf, new double[k]);
        Checks.assertFloatTwin(g, gf, "gradient");
        assertEquals(l, lf, 1e-6 * l);
        assertEquals(l / n, loss.forward(new Matrix(n, k, z), labels), EXACT, "forward is the row kernel");
    }
}
