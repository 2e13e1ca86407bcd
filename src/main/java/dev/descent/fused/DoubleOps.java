package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.optim.Optimizer;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.tensor.Products;

/** {@link Ops} in float64: the parameters and the input are used in place, without copies. */
final class DoubleOps implements Ops<double[]> {
    static final DoubleOps INSTANCE = new DoubleOps();

    /**
     * ReLU's slope from its output y ≥ 0 is min(1, y·S·S): 0 at y = 0 and 1 from the smallest
     * positive double up (S·S lifts it past 1), a NaN showing as NaN. Unlike {@code y > 0 ? 1 : 0},
     * which mispredicts half the time on ReLU's zeros, the loop over it is vectorised.
     */
    private static final double RELU_SCALE = 1e300;

    @Override
    public double[] alloc(int n) {
        return new double[n];
    }

    @Override
    public double[] ones(int n) {
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        return ones;
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
    public void affine(double[] a, int aOff, double[] w, double[] bias, double[] c, int n, int k, int m) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(bias, 0, c, r * m, m);
        }
        Products.matmul(a, aOff, w, c, 0, n, k, m, true);
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
    public void activate(double[] z, int len, Activation f) {
        if (f instanceof Activation.Relu) {
            for (int i = 0; i < len; i++) {
                z[i] = Math.max(z[i], 0.0); // NaN passes, as in Activation.Relu; -0 becomes 0
            }
        } else if (f != null) {
            for (int i = 0; i < len; i++) {
                z[i] = f.valueAt(z[i]);
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(double[] z, int rows, int k, int[] labels, int labelOff, double scale,
                                      double[] g, double[] logits, int logitsOff, double[] row) {
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
    public void activationBackward(double[] g, double[] y, int rows, int cols, Activation f, double[] ones, double[] biasGrad) {
        int len = rows * cols;
        if (f instanceof Activation.Relu) {
            for (int i = 0; i < len; i++) {
                g[i] *= Math.min(1.0, y[i] * RELU_SCALE * RELU_SCALE); // f'(y) = [y > 0] without a branch
            }
        } else if (f != null) {
            for (int i = 0; i < len; i++) {
                g[i] *= f.slopeFromOutput(y[i]);
            }
        }
        Products.matmul(ones, 0, g, biasGrad, 0, 1, rows, cols, false);
    }

    @Override
    public void update(Optimizer optimizer, int t, double[] theta, int from, int to, double[] g) {
        optimizer.update(t, theta, from, to, g, from);
    }

    @Override
    public void add(double[] sum, double[] part, int from, int to) {
        for (int i = from; i < to; i++) {
            sum[i] += part[i];
        }
    }

    @Override
    public void widen(double[] a, int from, int to, double[] out, int off) {
        if (a != out || off != from) {
            System.arraycopy(a, from, out, off, to - from);
        }
    }
}
