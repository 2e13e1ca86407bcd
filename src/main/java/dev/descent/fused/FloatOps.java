package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Products;

/**
 * {@link Ops} in float32: products and element-wise passes in float; the softmax of each row,
 * ten or so values, in double before rounding, as PyTorch does for its reductions.
 */
final class FloatOps implements Ops<float[]> {
    static final FloatOps INSTANCE = new FloatOps();

    /**
     * ReLU's slope from its output y ≥ 0 is min(1, y·S·S): 0 at y = 0 and 1 from the smallest
     * positive float up (S·S lifts it past 1), a NaN showing as NaN. Unlike {@code y > 0 ? 1 : 0},
     * which mispredicts half the time on ReLU's zeros, the loop over it is vectorised.
     */
    private static final float RELU_SCALE = 1e38f;

    @Override
    public float[] alloc(int n) {
        return new float[n];
    }

    @Override
    public float[] ones(int n) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        return ones;
    }

    @Override
    public void input(double[] x, int off, int len, float[] buffer) {
        for (int i = off; i < off + len; i++) {
            buffer[i] = (float) x[i];
        }
    }

    @Override
    public void gather(Features f, int[] order, int from, int n, float[] buffer, int off) {
        f.gather(order, from, n, buffer, off);
    }

    @Override
    public float[] mirror(double[] value) {
        return new float[value.length];
    }

    @Override
    public void refresh(double[] value, float[] mirror, int from, int to) {
        for (int i = from; i < to; i++) {
            mirror[i] = (float) value[i];
        }
    }

    @Override
    public void affine(float[] a, int aOff, float[] w, float[] bias, float[] c, int cOff, int n, int k, int m) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(bias, 0, c, cOff + r * m, m);
        }
        Products.matmul(a, aOff, w, c, cOff, n, k, m, true);
    }

    @Override
    public void matmulTransA(float[] a, int aOff, int lda, float[] b, float[] c, int cOff, int n, int k, int m) {
        Products.matmulTransA(a, aOff, lda, b, 0, c, cOff, n, k, m, false);
    }

    @Override
    public void matmulTransB(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m) {
        Products.matmulTransB(a, aOff, b, c, cOff, n, k, m);
    }

    @Override
    public void activate(float[] z, int off, int len, Activation f) {
        int end = off + len;
        if (f instanceof Activation.Relu) {
            for (int i = off; i < end; i++) {
                z[i] = Math.max(z[i], 0f); // NaN passes, as in Activation.Relu; -0 becomes 0
            }
        } else if (f != null) {
            for (int i = off; i < end; i++) {
                z[i] = (float) f.valueAt(z[i]);
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(float[] z, int off, int rows, int k, int[] labels, int labelOff, double scale,
                                      float[] g, double[] logits, double[] row) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = off + r * k, y = Fused.label(labels, labelOff + r, k);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                logits[o + j] = z[o + j];
                max = Math.max(max, z[o + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                row[j] = Math.exp(z[o + j] - max);
                sum += row[j];
            }
            total += max + Math.log(sum) - z[o + y];
            double s = scale / sum;
            for (int j = 0; j < k; j++) {
                g[o + j] = (float) (s * row[j] - (j == y ? scale : 0.0));
            }
        }
        return total;
    }

    @Override
    public void activationBackward(float[] g, float[] y, int off, int len, Activation f) {
        int end = off + len;
        if (f instanceof Activation.Relu) {
            for (int i = off; i < end; i++) {
                g[i] *= Math.min(1f, y[i] * RELU_SCALE * RELU_SCALE); // f'(y) = [y > 0] without a branch
            }
        } else if (f != null) {
            for (int i = off; i < end; i++) {
                g[i] *= (float) f.slopeFromOutput(y[i]);
            }
        }
    }

    @Override
    public void update(Optimizer optimizer, int t, float[] theta, int from, int to, float[] g) {
        optimizer.update(t, theta, from, to, g);
    }

    @Override
    public void widen(float[] a, int from, int to, double[] out, int off) {
        int shift = off - from;
        for (int i = from; i < to; i++) {
            out[i + shift] = a[i];
        }
    }
}
