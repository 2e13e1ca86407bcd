package dev.descent.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.tensor.Matrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DropoutTest {
    private static final double EXACT = 0.0;

    @Test
    void theIdentityUntilTrainedAndAfterEvaluate() {
        Dropout d = new Dropout(0.5, 1);
        Matrix x = Checks.random(new Random(1), 4, 6);
        assertArrayEquals(x.data(), d.forward(x).data(), EXACT);
        d.train(7);
        assertFalse(java.util.Arrays.equals(x.data(), d.forward(x).data()));
        d.evaluate();
        assertArrayEquals(x.data(), d.forward(x).data(), EXACT);
    }

    @Test
    void keepsAboutOneMinusPAndScalesWhatItKeeps() {
        Dropout d = new Dropout(0.3, 2);
        Matrix x = new Matrix(200, 50);
        java.util.Arrays.fill(x.data(), 1.0);
        d.train(3);
        Matrix y = d.forward(x);
        int kept = 0;
        for (double v : y.data()) {
            assertTrue(v == 0.0 || v == 1 / 0.7, "a value is dropped or scaled by 1/(1 − p): " + v);
            kept += v == 0.0 ? 0 : 1;
        }
        double fraction = kept / 10_000.0; // binomial: sd sqrt(0.21/10000) ≈ 0.0046
        assertEquals(0.7, fraction, 0.025);
    }

    @Test
    void theMaskIsTheKeysAndTheIndexsAlone() {
        Dropout a = new Dropout(0.5, 9), b = new Dropout(0.5, 9), other = new Dropout(0.5, 10);
        Matrix x = Checks.random(new Random(2), 8, 16);
        a.train(5);
        b.train(5);
        other.train(5);
        double[] whole = a.forward(x).data().clone();
        double[] halves = new double[x.size()]; // two blocks of rows, as two cores of the fused step run them
        b.forward(x.data(), halves, 0, 64);
        b.forward(x.data(), halves, 64, 64);
        assertArrayEquals(whole, halves, EXACT);
        assertFalse(java.util.Arrays.equals(whole, other.forward(x).data()), "another layer draws other masks");
        a.train(6);
        assertFalse(java.util.Arrays.equals(whole, a.forward(x).data()), "another key draws other masks");
    }

    @Test
    void backwardMatchesCentralDifferencesWithTheMaskHeld() {
        Dropout d = new Dropout(0.4, 4);
        d.train(11);
        assertTrue(Checks.worstLayerError(d, Checks.random(new Random(4), 5, 7), 12) < Checks.GRAD_RTOL);
    }

    @Test
    void theFloatKernelsAreTheDoubleOnesRounded() {
        Dropout d = new Dropout(0.25, 5);
        d.train(1);
        double[] x = Checks.random(new Random(6), 6, 9).data(), y = new double[x.length], dx = new double[x.length];
        float[] yf = new float[x.length], dxf = new float[x.length];
        d.forward(x, y, 0, x.length);
        d.forward(Checks.toFloat(x), yf, 0, x.length);
        Checks.assertFloatTwin(y, yf, "forward");
        d.backward(x, null, dx, 0, x.length);
        d.backward(Checks.toFloat(x), null, dxf, 0, x.length);
        Checks.assertFloatTwin(dx, dxf, "backward");
    }
}
