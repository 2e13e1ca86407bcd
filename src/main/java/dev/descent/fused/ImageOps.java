package dev.descent.fused;

import dev.descent.layers.AvgPool2d;
import dev.descent.layers.Conv2d;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.PoolWindow;

/**
 * Which twin of each image layer's kernel to call on the arrays of one type {@code A}, as
 * {@link Ops} does for dense layers: the maths is the layers' own ({@link Conv2d},
 * {@link MaxPool2d}, {@link AvgPool2d}); nothing here computes a derivative.
 */
interface ImageOps<A> {
    ImageOps<double[]> FLOAT64 = new Float64();
    ImageOps<float[]> FLOAT32 = new Float32();

    /** {@link Conv2d#forward(double[], int, double[], double[], double[], int, int, Conv2d.Geometry, double[])}. */
    void convForward(A x, int xOff, A w, A b, A y, int yOff, int n, Conv2d.Geometry g, A cols);

    /** {@link Conv2d#weightGradient(double[], int, double[], int, double[], int, int, Conv2d.Geometry, double[])}. */
    void convWeightGradient(A x, int xOff, A dY, int dyOff, A dW, int dwOff, int n, Conv2d.Geometry g, A cols);

    /** {@link Conv2d#sumPartials(double[], int, int, double[], int, int, boolean)}, written. */
    void sumPartials(A partials, int groups, int size, A dW, int from, int to);

    /** {@link Conv2d#biasGradient(double[], int, double[], int, int, int, Conv2d.Geometry, boolean)}, written. */
    void convBiasGradient(A dY, int dyOff, A db, int f0, int f1, int n, Conv2d.Geometry g);

    /** {@link Conv2d#inputGradient(double[], int, double[], double[], int, int, Conv2d.Geometry, double[])}. */
    void convInputGradient(A dY, int dyOff, A w, A dx, int dxOff, int n, Conv2d.Geometry g, A dcols);

    /** {@link MaxPool2d#forward(double[], int, double[], int, int[], int, int, PoolWindow)}. */
    void maxPoolForward(A x, int xOff, A y, int yOff, int[] a, int aOff, int n, PoolWindow w);

    /** {@link MaxPool2d#backward(double[], int, int[], int, double[], int, int, PoolWindow)}. */
    void maxPoolBackward(A dY, int dyOff, int[] a, int aOff, A dx, int dxOff, int n, PoolWindow w);

    /** {@link AvgPool2d#forward(double[], int, double[], int, int, PoolWindow)}. */
    void avgPoolForward(A x, int xOff, A y, int yOff, int n, PoolWindow w);

    /** {@link AvgPool2d#backward(double[], int, double[], int, int, PoolWindow)}. */
    void avgPoolBackward(A dY, int dyOff, A dx, int dxOff, int n, PoolWindow w);

    /** The float64 twins. */
    final class Float64 implements ImageOps<double[]> {
        private Float64() {}

        @Override
        public void convForward(double[] x, int xOff, double[] w, double[] b, double[] y, int yOff, int n,
                                Conv2d.Geometry g, double[] cols) {
            Conv2d.forward(x, xOff, w, b, y, yOff, n, g, cols);
        }

        @Override
        public void convWeightGradient(double[] x, int xOff, double[] dY, int dyOff, double[] dW, int dwOff, int n,
                                       Conv2d.Geometry g, double[] cols) {
            Conv2d.weightGradient(x, xOff, dY, dyOff, dW, dwOff, n, g, cols);
        }

        @Override
        public void sumPartials(double[] partials, int groups, int size, double[] dW, int from, int to) {
            Conv2d.sumPartials(partials, groups, size, dW, from, to, false);
        }

        @Override
        public void convBiasGradient(double[] dY, int dyOff, double[] db, int f0, int f1, int n, Conv2d.Geometry g) {
            Conv2d.biasGradient(dY, dyOff, db, f0, f1, n, g, false);
        }

        @Override
        public void convInputGradient(double[] dY, int dyOff, double[] w, double[] dx, int dxOff, int n,
                                      Conv2d.Geometry g, double[] dcols) {
            Conv2d.inputGradient(dY, dyOff, w, dx, dxOff, n, g, dcols);
        }

        @Override
        public void maxPoolForward(double[] x, int xOff, double[] y, int yOff, int[] a, int aOff, int n, PoolWindow w) {
            MaxPool2d.forward(x, xOff, y, yOff, a, aOff, n, w);
        }

        @Override
        public void maxPoolBackward(double[] dY, int dyOff, int[] a, int aOff, double[] dx, int dxOff, int n,
                                    PoolWindow w) {
            MaxPool2d.backward(dY, dyOff, a, aOff, dx, dxOff, n, w);
        }

        @Override
        public void avgPoolForward(double[] x, int xOff, double[] y, int yOff, int n, PoolWindow w) {
            AvgPool2d.forward(x, xOff, y, yOff, n, w);
        }

        @Override
        public void avgPoolBackward(double[] dY, int dyOff, double[] dx, int dxOff, int n, PoolWindow w) {
            AvgPool2d.backward(dY, dyOff, dx, dxOff, n, w);
        }
    }

    /** The float32 twins. */
    final class Float32 implements ImageOps<float[]> {
        private Float32() {}

        @Override
        public void convForward(float[] x, int xOff, float[] w, float[] b, float[] y, int yOff, int n,
                                Conv2d.Geometry g, float[] cols) {
            Conv2d.forward(x, xOff, w, b, y, yOff, n, g, cols);
        }

        @Override
        public void convWeightGradient(float[] x, int xOff, float[] dY, int dyOff, float[] dW, int dwOff, int n,
                                       Conv2d.Geometry g, float[] cols) {
            Conv2d.weightGradient(x, xOff, dY, dyOff, dW, dwOff, n, g, cols);
        }

        @Override
        public void sumPartials(float[] partials, int groups, int size, float[] dW, int from, int to) {
            Conv2d.sumPartials(partials, groups, size, dW, from, to, false);
        }

        @Override
        public void convBiasGradient(float[] dY, int dyOff, float[] db, int f0, int f1, int n, Conv2d.Geometry g) {
            Conv2d.biasGradient(dY, dyOff, db, f0, f1, n, g, false);
        }

        @Override
        public void convInputGradient(float[] dY, int dyOff, float[] w, float[] dx, int dxOff, int n,
                                      Conv2d.Geometry g, float[] dcols) {
            Conv2d.inputGradient(dY, dyOff, w, dx, dxOff, n, g, dcols);
        }

        @Override
        public void maxPoolForward(float[] x, int xOff, float[] y, int yOff, int[] a, int aOff, int n, PoolWindow w) {
            MaxPool2d.forward(x, xOff, y, yOff, a, aOff, n, w);
        }

        @Override
        public void maxPoolBackward(float[] dY, int dyOff, int[] a, int aOff, float[] dx, int dxOff, int n,
                                    PoolWindow w) {
            MaxPool2d.backward(dY, dyOff, a, aOff, dx, dxOff, n, w);
        }

        @Override
        public void avgPoolForward(float[] x, int xOff, float[] y, int yOff, int n, PoolWindow w) {
            AvgPool2d.forward(x, xOff, y, yOff, n, w);
        }

        @Override
        public void avgPoolBackward(float[] dY, int dyOff, float[] dx, int dxOff, int n, PoolWindow w) {
            AvgPool2d.backward(dY, dyOff, dx, dxOff, n, w);
        }
    }
}
