package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 25: statistics of any finite column, without an overflow, and ordinary columns' numbers unchanged. */
class StandardizationTest {
    static Features column(double... values) {
        return Features.of(new Matrix(values.length, 1, values.clone()));
    }

    /** Standardises the column and returns the result. */
    static double[] standardized(double... values) {
        Features x = column(values);
        Standardization s = Standardization.fit(x);
        Matrix m = new Matrix(values.length, 1, values.clone());
        s.applyInPlace(m, values.length);
        return m.data();
    }

    @Test
    void valuesWhoseSquaresOverflowAreStandardised() {
        for (double[] values : new double[][] {{-1e200, 1e200, 3e200, -3e200}, {-1.5e308, 1.5e308, 1.5e308, -1.5e308},
                {1e300, 1.1e300, 1.2e300, 1.3e300}}) {
            double[] z = standardized(values);
            double mean = 0, sq = 0;
            for (double v : z) {
                assertTrue(Double.isFinite(v), java.util.Arrays.toString(z));
                mean += v / z.length;
            }
            for (double v : z) {
                sq += (v - mean) * (v - mean) / z.length;
            }
            assertEquals(0, mean, 1e-12, "mean 0");
            assertEquals(1, Math.sqrt(sq), 1e-12, "sd 1");
        }
    }

    @Test
    void valuesFurtherFromTheirMeanThanADoubleHoldsAreRefusedNamingTheColumn() {
        Matrix m = new Matrix(3, 2, new double[] {1, -1.7e308, 2, 1.7e308, 3, 1.7e308});
        var e = assertThrows(Standardization.NotRepresentable.class, () -> Standardization.fit(Features.of(m)));
        assertEquals(1, e.column());
        assertTrue(e.getMessage().startsWith("values from -1.70000e+308 to 1.70000e+308 lie further from their mean"),
                e.getMessage());
    }

    @Test
    void ordinaryColumnsKeepTheirExactStatistics() {
        Random rng = new Random(3);
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 5 + 2 * rng.nextGaussian();
        }
        // Welford's update as it was before issue 25, for a column that does not overflow
        double mean = 0, m2 = 0;
        for (int r = 0; r < values.length; r++) {
            double d = values[r] - mean;
            mean += d / (r + 1);
            m2 += d * (values[r] - mean);
        }
        Standardization s = Standardization.fit(column(values));
        assertArrayEquals(new double[] {mean}, s.mean());
        assertArrayEquals(new double[] {Math.sqrt(m2 / values.length)}, s.std());
    }
}
