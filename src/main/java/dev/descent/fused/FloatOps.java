package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.tensor.Products;

/**
 * {@link Ops} in float32: products and element-wise passes in float; the softmax of each row,
 * ten or so values, in double before rounding, as PyTorch does for its reductions.
 */
final class FloatOps implements Ops<float[]> {
    static final FloatOps INSTANCE = new FloatOps();

    @Override
    public float[] alloc(int n) {
        return new float[n];
    }

    @Override
    public float[] input(double[] x, int off, int len, float[] buffer) {
        for (int i = 0; i < len; i++) {
            buffer[i] = (float) x[off + i];
        }
        return buffer;
    }

    @Override
    public float[] gather(Features f, int[] order, int from, int n, float[] buffer) {
        f.gather(order, from, n, buffer, 0);
        return buffer;
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
    public void matmul(float[] a, int aOff, float[] b, float[] c, int n, int k, int m) {
        Products.matmul(a, aOff, b, c, 0, n, k, m);
    }

    @Override
    public void matmulTransA(float[] a, int aOff, float[] b, float[] c, int n, int k, int m) {
        Products.matmulTransA(a, aOff, k, b, 0, c, 0, n, k, m, false);
    }

    @Override
    public void matmulTransB(float[] a, float[] b, float[] c, int n, int k, int m) {
        Products.matmulTransB(a, 0, b, c, 0, n, k, m);
    }

    @Override
    public void biasActivate(float[] z, int rows, int cols, float[] bias, Activation f) {
        boolean relu = f instanceof Activation.Relu;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            if (f == null) {
                for (int j = 0; j < cols; j++) {
                    z[o + j] += bias[j];
                }
            } else if (relu) {
                for (int j = 0; j < cols; j++) {
                    float v = z[o + j] + bias[j];
                    z[o + j] = v <= 0f ? 0f : v; // NaN passes, as in Activation.Relu
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    z[o + j] = (float) f.valueAt(z[o + j] + bias[j]);
                }
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(float[] z, int rows, int k, int[] labels, int labelOff, double scale,
                                      float[] g, double[] logits, int logitsOff) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = r * k, y = Fused.label(labels, labelOff + r, k);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                logits[logitsOff + o + j] = z[o + j];
                max = Math.max(max, z[o + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[o + j] - max);
            }
            total += max + Math.log(sum) - z[o + y];
            for (int j = 0; j < k; j++) {
                g[o + j] = (float) (scale * (Math.exp(z[o + j] - max) / sum) - (j == y ? scale : 0.0));
            }
        }
        return total;
    }

    @Override
    public void activationBackward(float[] g, float[] y, int rows, int cols, Activation f, float[] biasGrad) {
        java.util.Arrays.fill(biasGrad, 0, cols, 0f);
        boolean relu = f instanceof Activation.Relu;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                float d = g[o + j];
                if (relu) {
                    d *= y[o + j] > 0f ? 1f : 0f; // a product, as in Activation, so a NaN still shows
                } else if (f != null) {
                    d *= (float) f.slopeFromOutput(y[o + j]);
                }
                g[o + j] = d;
                biasGrad[j] += d;
            }
        }
    }

    @Override
    public void reduce(float[] part, int from, int to, double[] out, int off, boolean add) {
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
