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

class Conv2dTest {
    private static final double EXACT = 1e-12;

    /** x = 1..9 as one 3x3 channel. */
    private static Matrix nine() {
        return new Matrix(1, 9, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    }

    /**
     * A kernel that is not symmetric catches a flipped kernel: PyTorch's convolution is a
     * cross-correlation, W[0][0] multiplies the window's top-left value.
     */
    @Test
    void theKernelIsNotFlipped() {
        // W = [[1 2] [3 4]], b = 0.5 over x = [[1 2 3] [4 5 6] [7 8 9]]:
        // y00 = 1·1 + 2·2 + 3·4 + 4·5 + 0.5 = 37.5 (flipped: 4·1 + 3·2 + 2·4 + 1·5 + 0.5 = 23.5)
        Conv2d conv = new Conv2d(new Conv2d.Geometry(1, 3, 3, 1, 2, 1, 0), new Matrix(1, 4, new double[] {1, 2, 3, 4}),
                Matrix.rowVector(0.5));
        Matrix y = conv.forward(nine());
        assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5}, y.data());
    }

    /** A 3x3 kernel of ones with padding 1 sums each neighbourhood, the zeros of the border included. */
    @Test
    void paddingAddsExactlyOneRingOfZeros() {
        Conv2d conv = new Conv2d(new Conv2d.Geometry(1, 3, 3, 1, 3, 1, 1), ones(1, 9), new Matrix(1, 1));
        Matrix y = conv.forward(nine());
        assertArrayEquals(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, y.data());

        // dY = 1 everywhere: each input is counted by every window that covers it (4 at a corner,
        // 6 on an edge, 9 in the middle); dW[ky][kx] sums the inputs that position sees; db = 9.
        Matrix dx = conv.backward(ones(1, 9));
        assertArrayEquals(new double[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, dx.data());
        assertArrayEquals(new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, conv.weights().grad().data());
        assertArrayEquals(new double[] {9}, conv.bias().grad().data());
    }

    /** A stride of 2 skips every other position forward, and backward sends gradient only where forward read. */
    @Test
    void strideSkipsPositionsForwardAndBackward() {
        // x: 4x4 of 1..16, kernel [[1 0] [0 0]] (picks the window's top-left), stride 2: y = x[0][0], x[0][2], x[2][0], x[2][2]
        double[] x = new double[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        Conv2d conv = new Conv2d(new Conv2d.Geometry(1, 4, 4, 1, 2, 2, 0), new Matrix(1, 4, new double[] {1, 0, 0, 0}),
                new Matrix(1, 1));
        assertArrayEquals(new double[] {1, 3, 9, 11}, conv.forward(new Matrix(1, 16, x)).data());
        Matrix dx = conv.backward(Matrix.rowVector(1, 2, 3, 4));
        assertArrayEquals(new double[] {1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0}, dx.data());
        // dW[0][1] sums x[oy·2][ox·2 + 1]·dY: 2·1 + 4·2 + 10·3 + 12·4
        assertArrayEquals(new double[] {1 + 6 + 27 + 44, 2 + 8 + 30 + 48, 5 + 14 + 39 + 60, 6 + 16 + 42 + 64},
                conv.weights().grad().data());
    }

    /** Channels are summed over: each filter sees every input channel, with weights (C, k, k) in order. */
    @Test
    void channelsAreSummedInPyTorchsWeightOrder() {
        // two channels of 1x1: x = [2, 3]; two filters of k = 1: W = [[1 10] [100 1000]] -> y = [32, 3200]
        Conv2d conv = new Conv2d(new Conv2d.Geometry(2, 1, 1, 2, 1, 1, 0),
                new Matrix(2, 2, new double[] {1, 10, 100, 1000}), new Matrix(1, 2));
        assertArrayEquals(new double[] {32, 3200}, conv.forward(Matrix.rowVector(2, 3)).data());
        assertEquals(new Shape(2, 1, 1), conv.outputShape(new Shape(2, 1, 1)));
    }

    /** The products of im2col against direct loops over every filter, channel, position and kernel entry. */
    @Test
    void matchesDirectLoopsForEveryGeometry() {
        Random rng = new Random(234);
        int[][] geometries = { // C, H, W, F, k, s, p
            {1, 5, 5, 2, 3, 1, 0}, {2, 6, 7, 3, 3, 1, 1}, {3, 7, 6, 2, 3, 2, 1}, {2, 8, 8, 4, 5, 2, 2},
            {1, 4, 9, 2, 2, 3, 0}, {2, 5, 5, 3, 1, 1, 0}, {1, 3, 3, 2, 5, 1, 1}};
        for (int[] c : geometries) {
            Conv2d.Geometry g = new Conv2d.Geometry(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
            Matrix w = Checks.random(rng, g.filters(), g.patch()), b = Checks.random(rng, 1, g.filters());
            Conv2d conv = new Conv2d(g, w, b);
            NaiveConv naive = new NaiveConv(g, w.copy(), b.copy(), NaiveConv.Bug.NONE);
            Matrix x = Checks.random(rng, 3, g.inputSize()), dy = Checks.random(rng, 3, g.outputSize());
            assertClose(naive.forward(x).data(), conv.forward(x).data(), "forward of " + g);
            assertClose(naive.backward(dy).data(), conv.backward(dy).data(), "dx of " + g);
            assertClose(naive.parameters().get(0).grad().data(), conv.weights().grad().data(), "dW of " + g);
            assertClose(naive.parameters().get(1).grad().data(), conv.bias().grad().data(), "db of " + g);
        }
    }

    @Test
    void backwardMatchesCentralDifferences() {
        Random rng = new Random(234);
        for (Conv2d.Geometry g : new Conv2d.Geometry[] {new Conv2d.Geometry(2, 5, 6, 3, 3, 1, 1),
                new Conv2d.Geometry(3, 7, 7, 2, 3, 2, 2)}) {
            Conv2d conv = new Conv2d(g, Checks.random(rng, g.filters(), g.patch()), Checks.random(rng, 1, g.filters()));
            double worst = worstScaledError(conv, Checks.random(rng, 4, g.inputSize()), 7);
            assertTrue(worst < Checks.GRAD_RTOL, g + ": worst error " + worst);
        }
    }

    /**
     * As {@link Checks#worstLayerError}, each entry's error relative to its tensor's largest
     * gradient: a probe loss over hundreds of outputs rounds to about 1e-10 absolute, which an
     * entry's own relative error cannot tell from a small gradient's.
     */
    static double worstScaledError(Layer layer, Matrix x, long seed) {
        Matrix y0 = layer.forward(x);
        Matrix probe = Checks.random(new Random(seed), y0.rows(), y0.cols());
        java.util.function.DoubleSupplier loss = () -> {
            Matrix y = layer.forward(x);
            double s = 0;
            for (int i = 0; i < y.size(); i++) {
                s += y.data()[i] * probe.data()[i];
            }
            return s;
        };
        layer.parameters().forEach(Parameter::zeroGrad);
        layer.forward(x);
        Matrix dx = layer.backward(probe).copy();
        double worst = worst(dx.data(), x.data(), loss);
        for (Parameter p : layer.parameters()) {
            worst = Math.max(worst, worst(p.grad().data(), p.value().data(), loss));
        }
        return worst;
    }

    private static double worst(double[] analytic, double[] values, java.util.function.DoubleSupplier loss) {
        double scale = 0, err = 0;
        for (int i = 0; i < values.length; i++) {
            double n = Checks.centralDifference(values, i, loss);
            scale = Math.max(scale, Math.abs(n));
            err = Math.max(err, Math.abs(n - analytic[i]));
        }
        return err / scale;
    }

    /** The weight gradient is summed in groups of images whatever the cores: a batch of many groups is still exact. */
    @Test
    void theGroupsOfTheWeightGradientAddUpToTheWholeBatch() {
        Random rng = new Random(5);
        Conv2d.Geometry g = new Conv2d.Geometry(2, 5, 5, 3, 3, 1, 1);
        Matrix w = Checks.random(rng, g.filters(), g.patch()), b = Checks.random(rng, 1, g.filters());
        Conv2d conv = new Conv2d(g, w, b);
        NaiveConv naive = new NaiveConv(g, w.copy(), b.copy(), NaiveConv.Bug.NONE);
        Matrix x = Checks.random(rng, 150, g.inputSize()), dy = Checks.random(rng, 150, g.outputSize());
        assertEquals(Conv2d.MAX_GROUPS, Conv2d.groups(150));
        conv.forward(x);
        conv.backward(dy, false);
        naive.forward(x);
        naive.backward(dy);
        assertClose(naive.parameters().get(0).grad().data(), conv.weights().grad().data(), "dW over 16 groups");
    }

    @Test
    void aKernelLargerThanThePaddedImageIsRefusedWithBothShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Conv2d(new Shape(64, 4, 4), 64, 5, 1, 0));
        assertEquals("its 5x5 kernel is larger than the 4x4 image padded by 0 to 4x4", e.getMessage());
        new Conv2d(new Shape(64, 4, 4), 64, 5, 1, 1); // padded to 6x6, it fits
    }

    @Test
    void aBatchOfTheWrongWidthNamesBothShapes() {
        Conv2d conv = new Conv2d(new Shape(1, 28, 28), 32, 3, 1, 1);
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(new Matrix(2, 100)));
        assertEquals("conv32k3p1 takes images of 1x28x28 = 784 values, got a batch of 2x100", e.getMessage());
        assertEquals(new Shape(32, 28, 28), conv.outputShape(new Shape(1, 28, 28)));
        assertThrows(ShapeException.class, () -> conv.outputShape(new Shape(3, 28, 28)));
    }

    @Test
    void initialisesOnFanInAndFanOutAsPyTorch() {
        Conv2d conv = new Conv2d(new Shape(3, 8, 8), 16, 5, 1, 2);
        int[] fans = new int[2];
        conv.initialize(new ParameterDraw() {
            @Override
            public double weight(int fanIn, int fanOut) {
                fans[0] = fanIn;
                fans[1] = fanOut;
                return 1;
            }

            @Override
            public double bias(int fanIn, int fanOut) {
                return 2;
            }
        });
        assertArrayEquals(new int[] {3 * 5 * 5, 16 * 5 * 5}, fans);
        assertEquals(16 * 75, (int) java.util.Arrays.stream(conv.weights().value().data()).sum());
        assertEquals(32, (int) java.util.Arrays.stream(conv.bias().value().data()).sum());
        assertEquals("16x3x5x5", conv.parameterShape(0));
    }

    @Test
    void aCopySharesNothing() {
        Conv2d conv = new Conv2d(new Conv2d.Geometry(1, 3, 3, 1, 2, 1, 0), new Matrix(1, 4, new double[] {1, 2, 3, 4}),
                Matrix.rowVector(0.5));
        Conv2d copy = conv.copy();
        copy.weights().value().data()[0] = 100;
        assertEquals(1, conv.weights().value().data()[0]);
        assertEquals(conv.geometry(), copy.geometry());
    }

    // ---- the float32 twin of each kernel against its float64 original -------------------------

    private static final Conv2d.Geometry G = new Conv2d.Geometry(3, 7, 6, 4, 3, 2, 1);
    private static final int N = 5;
    private static final Random RNG = new Random(31);
    private static final double[] X = Checks.random(RNG, N, G.inputSize()).data(),
            W = Checks.random(RNG, G.filters(), G.patch()).data(), B = Checks.random(RNG, 1, G.filters()).data(),
            DY = Checks.random(RNG, N, G.outputSize()).data();

    @Test
    void forwardInFloatIsForwardInDoubleRounded() {
        double[] y = new double[N * G.outputSize()];
        float[] yf = new float[N * G.outputSize()];
        Conv2d.forward(X, 0, W, B, y, 0, N, G, new double[G.patch() * G.positions()]);
        Conv2d.forward(Checks.toFloat(X), 0, Checks.toFloat(W), Checks.toFloat(B), yf, 0, N, G,
                new float[G.patch() * G.positions()]);
        Checks.assertFloatTwin(y, yf, "forward");
    }

    @Test
    void weightGradientInFloatIsWeightGradientInDoubleRounded() {
        double[] dw = new double[G.filters() * G.patch()];
        float[] dwf = new float[dw.length];
        Conv2d.weightGradient(X, 0, DY, 0, dw, 0, N, G, new double[G.patch() * G.positions()]);
        Conv2d.weightGradient(Checks.toFloat(X), 0, Checks.toFloat(DY), 0, dwf, 0, N, G,
                new float[G.patch() * G.positions()]);
        Checks.assertFloatTwin(dw, dwf, "weight gradient");
    }

    @Test
    void partialsInFloatAreSummedAsInDouble() {
        double[] parts = Checks.random(RNG, 3, 10).data(), dw = new double[10];
        float[] dwf = new float[10];
        Conv2d.sumPartials(parts, 3, 10, dw, 0, 10, false);
        Conv2d.sumPartials(Checks.toFloat(parts), 3, 10, dwf, 0, 10, false);
        Checks.assertFloatTwin(dw, dwf, "sum of partials");
        assertEquals(parts[4] + parts[14] + parts[24], dw[4], EXACT);
    }

    @Test
    void biasGradientInFloatIsBiasGradientInDoubleRounded() {
        double[] db = new double[G.filters()];
        float[] dbf = new float[G.filters()];
        Conv2d.biasGradient(DY, 0, db, 0, G.filters(), N, G, false);
        Conv2d.biasGradient(Checks.toFloat(DY), 0, dbf, 0, G.filters(), N, G, false);
        Checks.assertFloatTwin(db, dbf, "bias gradient");
    }

    @Test
    void inputGradientInFloatIsInputGradientInDoubleRounded() {
        double[] dx = new double[N * G.inputSize()];
        float[] dxf = new float[dx.length];
        Conv2d.inputGradient(DY, 0, W, dx, 0, N, G, new double[G.patch() * G.positions()]);
        Conv2d.inputGradient(Checks.toFloat(DY), 0, Checks.toFloat(W), dxf, 0, N, G,
                new float[G.patch() * G.positions()]);
        Checks.assertFloatTwin(dx, dxf, "input gradient");
    }

    private static Matrix ones(int rows, int cols) {
        Matrix m = new Matrix(rows, cols);
        java.util.Arrays.fill(m.data(), 1);
        return m;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], EXACT * Math.max(1, scale), what + " at " + i);
        }
    }
}
