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
}
