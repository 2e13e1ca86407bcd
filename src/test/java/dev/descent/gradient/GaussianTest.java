package dev.descent.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianTest {
    private static final int DRAWS = 2_000_000;

    /** Φ, the standard normal's distribution function, from Numerical Recipes' erfcc (relative error below 1.2e-7). */
    private static double phi(double x) {
        double z = Math.abs(x) / Math.sqrt(2), t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc / 2 : erfc / 2;
    }

    /**
     * Two million draws have the moments of N(0, 1) (mean 0, variance 1, kurtosis 3, each within
     * five standard errors) and its distribution function: the largest gap between the empirical
     * and the true Φ over a grid from −4 to 4 is below the Kolmogorov–Smirnov bound at α = 0.001.
     */
    @Test
    void drawsAreStandardNormal() {
        double[] z = new double[DRAWS];
        Gaussian.fill(42, 0, z, DRAWS);
        double m1 = 0, m2 = 0, m4 = 0;
        for (double v : z) {
            m1 += v;
            m2 += v * v;
            m4 += v * v * v * v;
        }
        m1 /= DRAWS;
        m2 /= DRAWS;
        m4 /= DRAWS;
        assertEquals(0, m1, 5 / Math.sqrt(DRAWS));
        assertEquals(1, m2, 5 * Math.sqrt(2.0 / DRAWS));
        assertEquals(3, m4, 5 * Math.sqrt(96.0 / DRAWS));
        int[] below = new int[81];
        for (double v : z) {
            for (int g = 0; g < below.length; g++) {
                if (v <= -4 + 0.1 * g) {
                    below[g]++;
                }
            }
        }
        double worst = 0;
        for (int g = 0; g < below.length; g++) {
            worst = Math.max(worst, Math.abs((double) below[g] / DRAWS - phi(-4 + 0.1 * g)));
        }
        assertTrue(worst < 1.95 / Math.sqrt(DRAWS), "largest gap to Φ: " + worst);
    }

    /** The tails beyond the ziggurat's base (|z| > 3.44) are drawn as often as N(0, 1) says. */
    @Test
    void theTailsAreThere() {
        double[] z = new double[DRAWS];
        Gaussian.fill(7, 0, z, DRAWS);
        long beyond = 0;
        for (double v : z) {
            if (Math.abs(v) > 3.5) {
                beyond++;
            }
        }
        double expected = 2 * phi(-3.5) * DRAWS; // about 930
        assertEquals(expected, beyond, 5 * Math.sqrt(expected));
    }

    /** fill from any offset, odd or even, gives what at gives: a slice regenerated is the same slice. */
    @Test
    void anySliceIsTheSameNumbers() {
        double[] whole = new double[101];
        Gaussian.fill(3, 1000, whole, whole.length);
        for (int from : new int[] {0, 1, 2, 17, 100}) {
            double[] part = new double[whole.length - from];
            Gaussian.fill(3, 1000 + from, part, part.length);
            for (int j = 0; j < part.length; j++) {
                assertEquals(Double.doubleToRawLongBits(whole[from + j]), Double.doubleToRawLongBits(part[j]));
                assertEquals(whole[from + j], Gaussian.at(3, 1000 + from + j));
            }
        }
    }

    /** Different keys give unrelated numbers: neighbouring keys, and the directions of one step. */
    @Test
    void keysAreIndependent() {
        int n = 100_000;
        double[] a = new double[n], b = new double[n], c = new double[n];
        Gaussian.fill(5, 0, a, n);
        Gaussian.fill(6, 0, b, n);
        Gaussian.fill(Gaussian.key(5, 1), 0, c, n);
        assertEquals(0, correlation(a, b), 5 / Math.sqrt(n));
        assertEquals(0, correlation(a, c), 5 / Math.sqrt(n));
        assertNotEquals(Gaussian.key(5, 0), Gaussian.key(5, 1));
    }

    private static double correlation(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
