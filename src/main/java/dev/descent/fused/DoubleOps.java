package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.tensor.Products;

/** {@link Ops} in float64: the parameters and the input are used in place, without copies. */
final class DoubleOps implements Ops<double[]> {
    static final DoubleOps INSTANCE = new DoubleOps();

    @Override
    public double[] alloc(int n) {
        return new double[n];
    }

    @Override
    public double[] input(double[] x, int off, int len, double[] buffer) {
        return x;
    }

    @Override
    public double[] gather(Features f, int[] order, int from, int n, double[] buffer) {
        f.gather(order, from, n, buffer, 0);
        return buffer;
    }

    @Override
    public double[] mirror(double[] value) {
        return value;
    }

    @Override
    public void refresh(double[] value, double[] mirror, int from, int to) {
        // the mirror is the value
    }

    @Override
    public void matmul(double[] a, int aOff, double[] b, double[] c, int n, int k, int m) {
        Products.matmul(a, aOff, b, c, 0, n, k, m);
    }

    @Override
    public void matmulTransA(double[] a, int aOff, double[] b, double[] c, int n, int k, int m) {
        Products.matmulTransA(a, aOff, k, b, 0, c, 0, n, k, m, false);
    }

    @Override
    public void matmulTransB(double[] a, double[] b, double[] c, int n, int k, int m) {
        Products.matmulTransB(a, 0, b, c, 0, n, k, m);
    }

    @Override
    public void biasActivate(double[] z, int rows, int cols, double[] bias, Activation f) {
        boolean relu = f instanceof Activation.Relu;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            if (f == null) {
                for (int j = 0; j < cols; j++) {
                    z[o + j] += bias[j];
                }
            } else if (relu) {
                for (int j = 0; j < cols; j++) {
                    double v = z[o + j] + bias[j];
                    z[o + j] = v <= 0.0 ? 0.0 : v; // NaN passes, as in Activation.Relu
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    z[o + j] = f.valueAt(z[o + j] + bias[j]);
                }
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(double[] z, int rows, int k, int[] labels, int labelOff, double scale,
                                      double[] g, double[] logits, int logitsOff) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = r * k, y = Fused.label(labels, labelOff + r, k);
            System.arraycopy(z, o, logits, logitsOff + o, k);
            total += SoftmaxCrossEntropy.softmaxRow(z, g, o, k) - z[o + y];
            for (int j = 0; j < k; j++) {
                g[o + j] *= scale; // as SoftmaxCrossEntropy.backward rounds it
            }
            g[o + y] -= scale;
        }
        return total;
    }

    @Override
    public void activationBackward(double[] g, double[] y, int rows, int cols, Activation f, double[] biasGrad) {
        java.util.Arrays.fill(biasGrad, 0, cols, 0.0);
        boolean relu = f instanceof Activation.Relu;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                double d = g[o + j];
                if (relu) {
                    d *= y[o + j] > 0.0 ? 1.0 : 0.0; // a product, as in Activation, so a NaN still shows
                } else if (f != null) {
                    d *= f.slopeFromOutput(y[o + j]);
                }
                g[o + j] = d;
                biasGrad[j] += d;
            }
        }
    }

    @Override
    public void reduce(double[] part, int from, int to, double[] out, int off, boolean add) {
        int shift = off - from;
        if (add) {
            for (int i = from; i < to; i++) {
                out[i + shift] += part[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i + shift] = part[i];
            }
        }
    }
}
