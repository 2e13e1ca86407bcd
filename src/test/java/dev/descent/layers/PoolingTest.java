package dev.descent.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.init.Initializer;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolingTest {
    /** One 4x4 channel, its maxima at different corners of the windows. */
    private static final double[] IMAGE = {
        1, 5, 2, 0,
        3, 4, 8, 1,
        0, 9, 6, 7,
        2, 1, 3, 2};

    @Test
    void maxPoolingSendsEachGradientToItsMaximumAlone() {
        MaxPool2d pool = new MaxPool2d(new Shape(1, 4, 4), 2, 2);
        assertArrayEquals(new double[] {5, 8, 9, 7}, pool.forward(new Matrix(1, 16, IMAGE.clone())).data());
        Matrix dx = pool.backward(Matrix.rowVector(10, 20, 30, 40));
        assertArrayEquals(new double[] {
            0, 10, 0, 0,
            0, 0, 20, 0,
            0, 30, 0, 40,
            0, 0, 0, 0}, dx.data());
    }

    /** Overlapping windows (stride below the size) add the gradients of every window whose maximum an input is. */
    @Test
    void overlappingWindowsAddTheirGradients() {
        MaxPool2d pool = new MaxPool2d(new Shape(1, 4, 4), 3, 1);
        assertArrayEquals(new double[] {9, 9, 9, 9}, pool.forward(new Matrix(1, 16, IMAGE.clone())).data());
        Matrix dx = pool.backward(Matrix.rowVector(1, 2, 3, 4));
        assertEquals(10, dx.get(0, 9));
        assertEquals(10, java.util.Arrays.stream(dx.data()).sum());
    }

    @Test
    void aNanPropagatesAsPyTorchsDoes() {
        double[] x = IMAGE.clone();
        x[5] = Double.NaN;
        MaxPool2d pool = new MaxPool2d(new Shape(1, 4, 4), 2, 2);
        assertTrue(Double.isNaN(pool.forward(new Matrix(1, 16, x)).get(0, 0)));
    }

    /**
     * The kernels compare without branches, through whole numbers that order as the values do;
     * they must pick what the plain rule picks: the first of a window's largest values (ties after
     * a ReLU are common), -0 equal to +0, ±∞ in order, and any NaN after them (PyTorch's
     * {@code val > maxval || isnan(val)}). Windows of
     * values drawn from a few such, so that every case meets every other, in both dtypes.
     */
    @Test
    void theBranchFreeMaximumPicksWhatThePlainRulePicks() {
        branchFreeMaximumPicksWhatThePlainRulePicks(new MaxPool2d(new Shape(3, 6, 6), 3, 1).window()); // the general loop
        branchFreeMaximumPicksWhatThePlainRulePicks(new MaxPool2d(new Shape(3, 6, 8), 2, 2).window()); // 2×2 in line
    }

    private static void branchFreeMaximumPicksWhatThePlainRulePicks(PoolWindow w) {
        double[] values = {0.0, -0.0, 1.0, -1.0, 1.0 + Math.ulp(1.0), Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0xfff8000000000000L), Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE};
        Random rng = new Random(7);
        int n = 200, in = w.inputSize(), out = w.outputSize();
        double[] x = new double[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = values[rng.nextInt(values.length)];
        }
        float[] xf = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i]; // MAX_VALUE and MIN_VALUE become ±∞ and ±0: more ties
        }
        double[] y = new double[n * out];
        float[] yf = new float[n * out];
        int[] a = new int[n * out], af = new int[n * out];
        MaxPool2d.forward(x, 0, y, 0, a, 0, n, w);
        MaxPool2d.forward(xf, 0, yf, 0, af, 0, n, w);
        int k = w.size(), s = w.stride();
        for (int i = 0; i < n; i++) {
            for (int c = 0, o = 0; c < w.channels(); c++) {
                for (int oy = 0; oy < w.outHeight(); oy++) {
                    for (int ox = 0; ox < w.outWidth(); ox++, o++) {
                        int at = -1, atF = -1;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int j = (c * w.height() + oy * s + ky) * w.width() + ox * s + kx;
                                double v = x[i * in + j];
                                if (at < 0 || Double.isNaN(v) || v > x[i * in + at]) {
                                    at = j;
                                }
                                float vf = xf[i * in + j];
                                if (atF < 0 || Float.isNaN(vf) || vf > xf[i * in + atF]) {
                                    atF = j;
                                }
                            }
                        }
                        String where = "image " + i + ", output " + o;
                        assertEquals(at, a[i * out + o], where);
                        assertEquals(Double.doubleToRawLongBits(x[i * in + at]), Double.doubleToRawLongBits(y[i * out + o]), where);
                        assertEquals(atF, af[i * out + o], where + " (float32)");
                        assertEquals(Float.floatToRawIntBits(xf[i * in + atF]), Float.floatToRawIntBits(yf[i * out + o]),
                                where + " (float32)");
                    }
                }
            }
        }
    }

    @Test
    void averagePoolingSpreadsEachGradientEvenly() {
        AvgPool2d pool = new AvgPool2d(new Shape(1, 4, 4), 2, 2);
        assertArrayEquals(new double[] {13 / 4.0, 11 / 4.0, 12 / 4.0, 18 / 4.0},
                pool.forward(new Matrix(1, 16, IMAGE.clone())).data());
        Matrix dx = pool.backward(Matrix.rowVector(4, 8, 12, 16));
        assertArrayEquals(new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, dx.data());
    }

    @Test
    void channelsArePooledOnTheirOwn() {
        // two channels of 2x2: [1 2 3 4] and [8 7 6 5] -> maxima 4 and 8, means 2.5 and 6.5
        Matrix x = new Matrix(1, 8, new double[] {1, 2, 3, 4, 8, 7, 6, 5});
        assertArrayEquals(new double[] {4, 8}, new MaxPool2d(new Shape(2, 2, 2), 2, 2).forward(x).data());
        assertArrayEquals(new double[] {2.5, 6.5}, new AvgPool2d(new Shape(2, 2, 2), 2, 2).forward(x).data());
    }

    @Test
    void backwardMatchesCentralDifferences() {
        Random rng = new Random(234);
        for (Layer pool : new Layer[] {new MaxPool2d(new Shape(3, 6, 8), 2, 2), new MaxPool2d(new Shape(2, 7, 7), 3, 2),
                new AvgPool2d(new Shape(3, 6, 8), 2, 2), new AvgPool2d(new Shape(2, 7, 7), 3, 2)}) {
            double worst = Conv2dTest.worstScaledError(pool, Checks.random(rng, 4, inputs(pool)), 7);
            assertTrue(worst < Checks.GRAD_RTOL, pool + ": worst error " + worst);
        }
    }

    private static int inputs(Layer pool) {
        return pool instanceof MaxPool2d m ? m.window().inputSize() : ((AvgPool2d) pool).window().inputSize();
    }

    @Test
    void maxPoolingMatchesDirectLoops() {
        Random rng = new Random(8);
        PoolWindow w = new PoolWindow(3, 7, 9, 3, 2);
        MaxPool2d pool = new MaxPool2d(w);
        NaiveMaxPool naive = new NaiveMaxPool(w, false);
        Matrix x = Checks.random(rng, 4, w.inputSize()), dy = Checks.random(rng, 4, w.outputSize());
        assertArrayEquals(naive.forward(x).data(), pool.forward(x).data());
        assertArrayEquals(naive.backward(dy).data(), pool.backward(dy).data(), 1e-15);
    }

    @Test
    void aWindowThatDoesNotTileIsRefusedWithTheShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> new MaxPool2d(new Shape(64, 7, 7), 2, 2));
        assertEquals("a 2x2 window with stride 2 does not tile 7x7: 7 − 2 is not a multiple of 2, and pooling has no "
                + "padding", e.getMessage());
        e = assertThrows(ShapeException.class, () -> new AvgPool2d(new Shape(1, 2, 2), 3, 3));
        assertEquals("its 3x3 window is larger than the 2x2 image", e.getMessage());
    }

    /** The three refusals every image layer makes, word for word: a batch, a layer before it, an image before it. */
    @Test
    void everyImageLayerRefusesWhatItCannotTakeInTheSameWords() {
        Shape in = new Shape(2, 4, 4), other = new Shape(1, 4, 4);
        Layer[] layers = {new MaxPool2d(in, 2, 2), new AvgPool2d(in, 2, 2), new Conv2d(in, 3, 3, 1, 1)};
        String[] names = {"pool2", "avgpool2", "conv3k3p1"};
        Shape[] outputs = {new Shape(2, 2, 2), new Shape(2, 2, 2), new Shape(3, 4, 4)};
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            assertEquals(outputs[i], layer.outputShape(in));
            assertEquals(outputs[i], layer.outputShape(null));
            assertEquals(outputs[i].size(), layer.outputSize(32));
            ShapeException e = assertThrows(ShapeException.class, () -> layer.forward(new Matrix(3, 16)));
            assertEquals(names[i] + " takes images of 2x4x4 = 32 values, got a batch of 3x16", e.getMessage());
            e = assertThrows(ShapeException.class, () -> layer.outputSize(16));
            assertEquals(names[i] + " takes images of 2x4x4 = 32 values and cannot follow a layer of width 16",
                    e.getMessage());
            e = assertThrows(ShapeException.class, () -> layer.outputShape(other));
            assertEquals(names[i] + " takes images of 2x4x4, got 1x4x4", e.getMessage());
        }
    }

    @Test
    void flattenMovesNothingAndForgetsTheShape() {
        Flatten flatten = new Flatten();
        Matrix x = Matrix.rowVector(1, 2, 3);
        assertSame(x, flatten.forward(x));
        assertSame(x, flatten.backward(x));
        assertEquals(null, flatten.outputShape(new Shape(3, 1, 1)));
        assertEquals(3, flatten.outputSize(3));
    }

    // ---- the float32 twin of each kernel against its float64 original -------------------------

    private static final PoolWindow W = new PoolWindow(3, 8, 6, 2, 2);
    private static final int N = 5;
    private static final Random RNG = new Random(31);
    private static final double[] X = Checks.random(RNG, N, W.inputSize()).data(),
            DY = Checks.random(RNG, N, W.outputSize()).data();

    @Test
    void maxForwardInFloatIsMaxForwardInDoubleRounded() {
        double[] y = new double[N * W.outputSize()];
        float[] yf = new float[y.length];
        int[] a = new int[y.length], af = new int[y.length];
        MaxPool2d.forward(X, 0, y, 0, a, 0, N, W);
        MaxPool2d.forward(Checks.toFloat(X), 0, yf, 0, af, 0, N, W);
        Checks.assertFloatTwin(y, yf, "max pooling forward");
        assertArrayEquals(a, af, "the same maxima");
    }

    @Test
    void maxBackwardInFloatIsMaxBackwardInDoubleRounded() {
        double[] y = new double[N * W.outputSize()], dx = new double[N * W.inputSize()];
        float[] dxf = new float[dx.length];
        int[] a = new int[y.length];
        MaxPool2d.forward(X, 0, y, 0, a, 0, N, W);
        MaxPool2d.backward(DY, 0, a, 0, dx, 0, N, W);
        MaxPool2d.backward(Checks.toFloat(DY), 0, a, 0, dxf, 0, N, W);
        Checks.assertFloatTwin(dx, dxf, "max pooling backward");
    }

    @Test
    void averageForwardInFloatIsAverageForwardInDoubleRounded() {
        double[] y = new double[N * W.outputSize()];
        float[] yf = new float[y.length];
        AvgPool2d.forward(X, 0, y, 0, N, W);
        AvgPool2d.forward(Checks.toFloat(X), 0, yf, 0, N, W);
        Checks.assertFloatTwin(y, yf, "average pooling forward");
    }

    @Test
    void averageBackwardInFloatIsAverageBackwardInDoubleRounded() {
        double[] dx = new double[N * W.inputSize()];
        float[] dxf = new float[dx.length];
        AvgPool2d.backward(DY, 0, dx, 0, N, W);
        AvgPool2d.backward(Checks.toFloat(DY), 0, dxf, 0, N, W);
        Checks.assertFloatTwin(dx, dxf, "average pooling backward");
    }

    /**
     * A copy of a network of images run forward and backward on other data between the original's
     * forward and backward (as the doctor's probes may) leaves the original's gradients as they
     * would have been: no layer of the copy writes a cache the original's backward reads.
     */
    @Test
    void aCopiedNetworkOfImagesSharesNothingEitherWrites() {
        Random rng = new Random(8);
        Shape in = new Shape(2, 6, 6);
        Network net = Network.builder(in).conv(3, 3, 1, 1).activation("relu").maxPool(2, 2).avgPool(3, 3).dense(4)
                .build();
        Initializer.PYTORCH.initialize(net, 8);
        Matrix x = Checks.random(rng, 5, in.size()), other = Checks.random(rng, 5, in.size()),
                dLogits = Checks.random(rng, 5, 4);
        net.zeroGrad();
        net.forward(x);
        net.backward(dLogits);
        java.util.List<Matrix> expected = net.parameters().stream().map(p -> p.grad().copy()).toList();

        Network copy = net.copy();
        assertEquals(net.snapshot().get(0).shape(), copy.snapshot().get(0).shape());
        net.forward(x);
        copy.forward(other);
        copy.backward(Checks.random(rng, 5, 4));
        net.zeroGrad();
        net.backward(dLogits);
        for (int t = 0; t < expected.size(); t++) {
            assertArrayEquals(expected.get(t).data(), net.parameters().get(t).grad().data(), "tensor " + t);
        }
        copy.parameters().get(0).value().data()[0] += 1;
        assertTrue(net.parameters().get(0).value().data()[0] != copy.parameters().get(0).value().data()[0]);
    }
}
