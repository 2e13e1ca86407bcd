package dev.descent.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.tensor.Matrix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ActivationTest {
    @Test
    void reluZeroesNegativePreActivations() {
        Matrix y = new Activation.Relu().forward(Matrix.rowVector(-2, -0.0, 0, 0.5, 3));
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 3}, y.data());
    }

    @Test
    void reluLetsNaNThrough() {
        assertTrue(Double.isNaN(new Activation.Relu().forward(Matrix.rowVector(Double.NaN)).get(0, 0)));
    }

    @Test
    void reluPassesGradientOnlyWhereActiveAndNotAtTheKink() {
        Activation relu = new Activation.Relu();
        relu.forward(Matrix.rowVector(-1, 0, 2));
        Matrix dx = relu.backward(Matrix.rowVector(5, 5, 5));
        assertArrayEquals(new double[] {0, 0, 5}, dx.data());
    }

    @Test
    void handComputedSigmoidAndTanh() {
        Activation sigmoid = new Activation.Sigmoid();
        Matrix s = sigmoid.forward(Matrix.rowVector(0, Math.log(3)));
        assertArrayEquals(new double[] {0.5, 0.75}, s.data(), 1e-15);
        // σ'(0) = 0.25, σ'(ln 3) = 0.75 · 0.25
        assertArrayEquals(new double[] {0.25, 0.1875}, sigmoid.backward(Matrix.rowVector(1, 1)).data(), 1e-15);

        Activation tanh = new Activation.Tanh();
        tanh.forward(Matrix.rowVector(0));
        assertArrayEquals(new double[] {2}, tanh.backward(Matrix.rowVector(2)).data(), 1e-15);
    }

    @Test
    void sigmoidDoesNotOverflow() {
        Matrix y = new Activation.Sigmoid().forward(Matrix.rowVector(-1000, 1000));
        assertArrayEquals(new double[] {0, 1}, y.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh"})
    void backwardMatchesCentralDifferencesAwayFromKinks(String name) {
        Random rng = new Random(234);
        Matrix x = Checks.random(rng, 6, 5);
        for (int i = 0; i < x.size(); i++) {
            // Keep every input at least 0.1 from ReLU's kink so x ± h never crosses it.
            double v = x.data()[i];
            x.data()[i] = Math.copySign(Math.abs(v) + 0.1, v);
        }
        double worst = Checks.worstLayerError(Activation.of(name), x, 11);
        assertTrue(worst < Checks.GRAD_RTOL, name + ": worst relative error " + worst);
    }

    @Test
    void unknownNameListsTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> Activation.of("gelu"));
        assertEquals("unknown activation 'gelu': expected one of relu, sigmoid, tanh", e.getMessage());
    }

    // ---- the float32 twin of each kernel against its float64 original -------------------------

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh"})
    void forwardInFloatIsForwardInDoubleRounded(String name) {
        Activation f = Activation.of(name);
        double[] x = Checks.random(new Random(5), 8, 9).data(), y = new double[x.length];
        float[] yf = new float[x.length];
        f.forward(x, y, 0, x.length);
        f.forward(Checks.toFloat(x), yf, 0, x.length);
        Checks.assertFloatTwin(y, yf, name + " forward");
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh"})
    void backwardInFloatIsBackwardInDoubleRounded(String name) {
        Activation f = Activation.of(name);
        Random rng = new Random(6);
        double[] x = Checks.random(rng, 8, 9).data(), dy = Checks.random(rng, 8, 9).data();
        double[] y = new double[x.length], dx = new double[x.length];
        f.forward(x, y, 0, x.length);
        float[] dxf = new float[x.length];
        f.backward(dy, y, dx, 0, x.length);
        f.backward(Checks.toFloat(dy), Checks.toFloat(y), dxf, 0, x.length);
        Checks.assertFloatTwin(dx, dxf, name + " backward");
    }

    /** One convention at ReLU's kink in both types and both ways of computing: slope 0 at 0 and at −0, NaN passing. */
    @Test
    void reluHasOneConventionAtTheKink() {
        Activation relu = new Activation.Relu();
        double[] y = {0.0, -0.0, Double.MIN_VALUE, 2, Double.NaN}, dy = {3, 3, 3, 3, 3}, dx = new double[5];
        relu.backward(dy, y, dx, 0, 5);
        assertArrayEquals(new double[] {0, 0, 3, 3, Double.NaN}, dx);
        float[] dxf = new float[5];
        relu.backward(Checks.toFloat(dy), new float[] {0f, -0f, Float.MIN_VALUE, 2, Float.NaN}, dxf, 0, 5);
        assertArrayEquals(new float[] {0, 0, 3, 3, Float.NaN}, dxf);
        for (int i = 0; i < y.length; i++) {
            assertEquals(dx[i], dy[i] * relu.slopeFromOutput(y[i]), "the scalar slope at " + y[i]);
        }
    }
}
