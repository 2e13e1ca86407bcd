package dev.descent.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DenseTest {
    @Test
    void handComputedForwardAndBackward() {
        // x = [1 2], W = [[1 2] [3 4]], b = [0.5 -1]  ->  y = [1+6+0.5, 2+8-1] = [7.5 9]
        Dense dense = new Dense(Matrix.of(new double[][] {{1, 2}, {3, 4}}), Matrix.rowVector(0.5, -1));
        Matrix y = dense.forward(Matrix.of(new double[][] {{1, 2}}));
        assertArrayEquals(new double[] {7.5, 9}, y.data());

        // dY = [1 -2]: dW = xᵀ dY = [[1 -2] [2 -4]], db = [1 -2], dx = dY Wᵀ = [1-4, 3-8] = [-3 -5]
        Matrix dx = dense.backward(Matrix.rowVector(1, -2));
        assertArrayEquals(new double[] {1, -2, 2, -4}, dense.weights().grad().data());
        assertArrayEquals(new double[] {1, -2}, dense.bias().grad().data());
        assertArrayEquals(new double[] {-3, -5}, dx.data());
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Dense dense = new Dense(Matrix.of(new double[][] {{1}}), Matrix.rowVector(0));
        dense.forward(Matrix.of(new double[][] {{2}}));
        dense.backward(Matrix.rowVector(1));
        dense.backward(Matrix.rowVector(1));
        assertEquals(4.0, dense.weights().grad().get(0, 0));
        dense.weights().zeroGrad();
        assertEquals(0.0, dense.weights().grad().get(0, 0));
    }

    @Test
    void backwardMatchesCentralDifferences() {
        Random rng = new Random(234);
        Dense dense = new Dense(Checks.random(rng, 4, 3), Checks.random(rng, 1, 3));
        double worst = Checks.worstLayerError(dense, Checks.random(rng, 5, 4), 7);
        assertTrue(worst < Checks.GRAD_RTOL, "worst relative error " + worst);
    }

    @Test
    void wrongInputWidthNamesBothShapes() {
        Dense dense = new Dense(3, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> dense.forward(new Matrix(4, 5)));
        assertEquals("dense layer takes 3 inputs, got a batch of 4x5", e.getMessage());
    }

    // ---- the float32 twin of each kernel against its float64 original -------------------------

    private static final int N = 9, IN = 13, OUT = 7;
    private static final Random RNG = new Random(31);
    private static final double[] X = Checks.random(RNG, N, IN).data(), W = Checks.random(RNG, IN, OUT).data(),
            B = Checks.random(RNG, 1, OUT).data(), DY = Checks.random(RNG, N, OUT).data();

    @Test
    void forwardInFloatIsForwardInDoubleRounded() {
        double[] y = new double[N * OUT];
        float[] yf = new float[N * OUT];
        Dense.forward(X, 0, W, B, y, 0, N, IN, OUT);
        Dense.forward(Checks.toFloat(X), 0, Checks.toFloat(W), Checks.toFloat(B), yf, 0, N, IN, OUT);
        Checks.assertFloatTwin(y, yf, "forward");
    }

    @Test
    void weightGradientInFloatIsWeightGradientInDoubleRounded() {
        double[] dw = new double[IN * OUT];
        float[] dwf = new float[IN * OUT];
        Dense.weightGradient(X, DY, dw, 0, IN, N, IN, OUT, false);
        Dense.weightGradient(Checks.toFloat(X), Checks.toFloat(DY), dwf, 0, IN, N, IN, OUT, false);
        Checks.assertFloatTwin(dw, dwf, "weight gradient");
    }

    @Test
    void biasGradientInFloatIsBiasGradientInDoubleRounded() {
        double[] ones = new double[N];
        java.util.Arrays.fill(ones, 1);
        double[] db = new double[OUT];
        float[] dbf = new float[OUT];
        Dense.biasGradient(DY, ones, db, 0, OUT, N, OUT, false);
        Dense.biasGradient(Checks.toFloat(DY), Checks.toFloat(ones), dbf, 0, OUT, N, OUT, false);
        Checks.assertFloatTwin(db, dbf, "bias gradient");
    }

    @Test
    void inputGradientInFloatIsInputGradientInDoubleRounded() {
        double[] dx = new double[N * IN];
        float[] dxf = new float[N * IN];
        Dense.inputGradient(DY, 0, W, dx, 0, N, IN, OUT);
        Dense.inputGradient(Checks.toFloat(DY), 0, Checks.toFloat(W), dxf, 0, N, IN, OUT);
        Checks.assertFloatTwin(dx, dxf, "input gradient");
    }

    /** The Matrix methods are the kernels: a block of rows and accumulation give the same numbers. */
    @Test
    void theLayersMatrixMethodsAreItsKernels() {
        Dense dense = new Dense(new Matrix(IN, OUT, W.clone()), new Matrix(1, OUT, B.clone()));
        Matrix y = dense.forward(new Matrix(N, IN, X.clone()));
        double[] expected = new double[N * OUT];
        Dense.forward(X, 0, W, B, expected, 0, N, IN, OUT);
        assertArrayEquals(expected, y.data());
        Matrix dx = dense.backward(new Matrix(N, OUT, DY.clone()));
        double[] dw = new double[IN * OUT], dxe = new double[N * IN];
        Dense.weightGradient(X, DY, dw, 0, IN, N, IN, OUT, false);
        Dense.inputGradient(DY, 0, W, dxe, 0, N, IN, OUT);
        assertArrayEquals(dw, dense.weights().grad().data());
        assertArrayEquals(dxe, dx.data());
    }
}
