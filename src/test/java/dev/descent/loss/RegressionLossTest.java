package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.tensor.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mean squared error and Huber: by hand, against central differences, and their float32 kernels. */
class RegressionLossTest {
    private static final double EXACT = 1e-15;

    private static RegressionLoss loss(String name, Reduction reduction, Matrix targets) {
        return name.equals("mse") ? new MeanSquaredError(reduction, targets) : new Huber(reduction, targets, 0.7);
    }

    @Test
    void meanSquaredErrorByHand() {
        // Two rows, two targets each; labels pick the targets' rows 1 and 0.
        Matrix targets = Matrix.of(new double[][] {{1, 2}, {0, -1}});
        Matrix z = Matrix.of(new double[][] {{1, 1}, {3, 2}});
        MeanSquaredError mse = new MeanSquaredError(Reduction.SUM, targets);
        // row 0 vs (0, −1): d = (1, 2): ℓ = (1 + 4)/2 = 2.5; row 1 vs (1, 2): d = (2, 0): ℓ = 2
        assertEquals(4.5, mse.forward(z, new int[] {1, 0}), EXACT);
        assertArrayEquals(new double[] {1, 2, 2, 0}, mse.backward().data(), EXACT); // 2d/t
        MeanSquaredError mean = new MeanSquaredError(Reduction.MEAN, targets);
        assertEquals(2.25, mean.forward(z, new int[] {1, 0}), EXACT); // PyTorch's MSELoss(): mean of d²
        assertArrayEquals(new double[] {0.5, 1, 1, 0}, mean.backward().data(), EXACT);
        assertFalse(mse.classifies());
    }

    @Test
    void huberByHand() {
        Matrix targets = Matrix.of(new double[][] {{0, 0, 0}});
        Huber huber = new Huber(Reduction.SUM, targets, 1.0);
        // d = 0.5 (quadratic): 0.125, slope 0.5; d = −3 (linear): 1·(3 − 0.5) = 2.5, slope −1; d = 1 (the joint): 0.5, slope 1
        assertEquals((0.125 + 2.5 + 0.5) / 3, huber.forward(Matrix.rowVector(0.5, -3, 1), new int[] {0}), EXACT);
        assertArrayEquals(new double[] {0.5 / 3, -1.0 / 3, 1.0 / 3}, huber.backward().data(), EXACT);
    }

    @ParameterizedTest
    @CsvSource({"mse, SUM", "mse, MEAN", "huber, SUM", "huber, MEAN"})
    void gradientMatchesCentralDifferences(String name, Reduction reduction) {
        Random rng = new Random(234);
        Matrix targets = Checks.random(rng, 9, 3);
        Matrix z = Checks.random(rng, 6, 3);
        int[] rows = {4, 0, 8, 8, 2, 5};
        RegressionLoss loss = loss(name, reduction, targets);
        loss.forward(z, rows);
        Matrix dz = loss.backward().copy();
        int quadraticAndLinear = 0;
        for (int i = 0; i < z.size(); i++) {
            double d = z.data()[i] - targets.get(rows[i / 3], i % 3);
            if (name.equals("huber") && Math.abs(Math.abs(d) - 0.7) < 1e-3) {
                continue; // within h of the joint, where ρ'' jumps
            }
            quadraticAndLinear += Math.abs(d) > 0.7 ? 1 : 0;
            double numeric = Checks.centralDifference(z.data(), i, () -> loss.forward(z, rows));
            double err = Checks.relativeError(dz.data()[i], numeric);
            assertTrue(err < Checks.GRAD_RTOL, "entry " + i + ": relative error " + err);
        }
        assertTrue(quadraticAndLinear > 0, "some residuals on the linear side");
    }

    @ParameterizedTest
    @CsvSource({"mse", "huber"})
    void rowsInFloatAreRowsInDoubleRounded(String name) {
        int n = 7, k = 2;
        Random rng = new Random(8);
        Matrix targets = Checks.random(rng, n, k);
        double[] z = Checks.random(rng, n, k).data(), g = new double[n * k];
        int[] rows = {6, 5, 4, 3, 2, 1, 0};
        RegressionLoss loss = loss(name, Reduction.MEAN, targets);
        double l = loss.rows(z, 0, n, k, rows, 0, 1.0 / n, g, null);
        float[] gf = new float[n * k];
        double lf = loss.rows(Checks.toFloat(z), 0, n, k, rows, 0, 1.0 / n, gf, null);
        Checks.assertFloatTwin(g, gf, "gradient");
        assertEquals(l, lf, 1e-6 * l);
        assertEquals(l / n, loss.forward(new Matrix(n, k, z), rows), EXACT, "forward is the row kernel");
    }

    @Test
    void aTargetRowOutsideTheTargetsIsNamed() {
        MeanSquaredError mse = new MeanSquaredError(Reduction.SUM, new Matrix(3, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> mse.forward(new Matrix(1, 1), new int[] {3}));
        assertEquals("target row 3 of sample 0 is outside the 3 rows of targets", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Huber(Reduction.SUM, new Matrix(1, 1), 0));
    }
}
