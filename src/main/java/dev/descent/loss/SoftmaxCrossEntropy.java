package dev.descent.loss;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;

/**
 * Softmax followed by cross-entropy, fused, on logits z: (N, k) and labels y: (N).
 *
 * <p>Per sample, {@code ℓ_n = -log softmax(z_n)[y_n] = logsumexp(z_n) - z_n[y_n]}, with
 * {@code logsumexp(z) = m + log Σ_j exp(z_j - m)} and {@code m = max_j z_j}, so no exponential
 * overflows and no {@code log(p + ε)} fudge is needed (the original thread added 1e-7, which
 * biases both the loss and its gradient). The loss is Σ_n ℓ_n or its mean, by {@link Reduction}.
 *
 * <p>Gradient: {@code dL/dz_nj = s · (softmax(z_n)_j - [j = y_n])}, with s = 1 for SUM and
 * 1/N for MEAN. Forward caches the softmax for backward. Source: Goodfellow, Bengio and
 * Courville, <i>Deep Learning</i> (2016), §6.2.2.3.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final Reduction reduction;
    private Matrix probabilities; // cached by forward: (N, k)
    private Matrix dLogits; // reused from batch to batch
    private int[] labels;

    public SoftmaxCrossEntropy(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public double forward(Matrix logits, int[] labels) {
        if (labels.length != logits.rows()) {
            throw new ShapeException("loss: " + logits.rows() + " rows of logits but "
                    + labels.length + " labels");
        }
        int n = logits.rows(), k = logits.cols();
        probabilities = Matrix.reuse(probabilities, n, k);
        double[] Z = logits.data(), P = probabilities.data();
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int y = labels[r];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " of row " + r
                        + " is outside the " + k + " classes");
            }
            double logSumExp = softmaxRow(Z, P, r * k, k);
            total += logSumExp - Z[r * k + y];
        }
        this.labels = labels;
        return reduction == Reduction.SUM ? total : total / n;
    }

    @Override
    public Matrix backward() {
        int n = probabilities.rows(), k = probabilities.cols();
        double scale = reduction == Reduction.SUM ? 1.0 : 1.0 / n;
        dLogits = Matrix.reuse(dLogits, n, k);
        double[] P = probabilities.data(), D = dLogits.data();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                D[r * k + j] = scale * P[r * k + j];
            }
            D[r * k + labels[r]] -= scale;
        }
        return dLogits;
    }

    /** Row-wise softmax of logits z: (N, k) into a new (N, k) matrix whose rows sum to 1. */
    public static Matrix softmax(Matrix logits) {
        Matrix p = new Matrix(logits.rows(), logits.cols());
        for (int r = 0; r < logits.rows(); r++) {
            softmaxRow(logits.data(), p.data(), r * logits.cols(), logits.cols());
        }
        return p;
    }

    /**
     * Writes softmax(z[o..o+k)) into p[o..o+k) and returns logsumexp of that row. The fused
     * training step calls it too, so both round the same way.
     */
    public static double softmaxRow(double[] z, double[] p, int o, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, z[o + j]);
        }
        double sum = 0.0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z[o + j] - max);
            p[o + j] = e;
            sum += e;
        }
        for (int j = 0; j < k; j++) {
            p[o + j] /= sum;
        }
        return max + Math.log(sum);
    }

    @Override
    public String toString() {
        return "softmax cross-entropy (" + reduction + ")";
    }
}
