package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Products;

/** {@link Ops} in float64: the parameters are used in place, without copies. */
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
    public void input(double[] x, int off, int len, double[] buffer) {
        System.arraycopy(x, off, buffer, off, len);
    }

    @Override
    public void gather(Features f, int[] order, int from, int n, double[] buffer, int off) {
        f.gather(order, from, n, buffer, off);
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
    public void affine(double[] a, int aOff, double[] w, double[] bias, double[] c, int cOff, int n, int k, int m) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(bias, 0, c, cOff + r * m, m);
        }
        Products.matmul(a, aOff, w, c, cOff, n, k, m, true);
    }

    @Override
    public void matmulTransA(double[] a, int aOff, int lda, double[] b, double[] c, int cOff, int n, int k, int m) {
        Products.matmulTransA(a, aOff, lda, b, 0, c, cOff, n, k, m, false);
    }

    @Override
    public void matmulTransB(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m) {
        Products.matmulTransB(a, aOff, b, c, cOff, n, k, m);
    }

    @Override
    public void activate(double[] z, int off, int len, Activation f) {
        int end = off + len;
        if (f instanceof Activation.Relu) {
            for (int i = off; i < end; i++) {
                z[i] = Math.max(z[i], 0.0); // NaN passes, as in Activation.Relu; -0 becomes 0
            }
        } else if (f != null) {
            for (int i = off; i < end; i++) {
                z[i] = f.valueAt(z[i]);
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(double[] z, int off, int rows, int k, int[] labels, int labelOff, double scale,
                                      double[] g, double[] logits, double[] row) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = off + r * k, y = Fused.label(labels, labelOff + r, k);
            System.arraycopy(z, o, logits, o, k);
            total += SoftmaxCrossEntropy.softmaxRow(z, g, o, k) - z[o + y];
            for (int j = 0; j < k; j++) {
                g[o + j] *= scale; // as SoftmaxCrossEntropy.backward rounds it
            }
            g[o + y] -= scale;
        }
        return total;
    }

    @Override
    public void activationBackward(double[] g, double[] y, int off, int len, Activation f) {
        int end = off + len;
        if (f instanceof Activation.Relu) {
            for (int i = off; i < end; i++) {
                g[i] *= Math.min(1.0, y[i] * RELU_SCALE * RELU_SCALE); // f'(y) = [y > 0] without a branch
            }
        } else if (f != null) {
            for (int i = off; i < end; i++) {
                g[i] *= f.slopeFromOutput(y[i]);
            }
        }
    }

    @Override
    public void update(Optimizer optimizer, int t, double[] theta, int from, int to, double[] g) {
        optimizer.update(t, theta, from, to, g, from);
    }

    @Override
    public void widen(double[] a, int from, int to, double[] out, int off) {
        if (a != out || off != from) {
            System.arraycopy(a, from, out, off, to - from);
        }
    }
}
