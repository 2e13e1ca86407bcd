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
 * 1/N for MEAN. Forward computes it with the loss, in one pass per row, and caches it for
 * backward. Source: Goodfellow, Bengio and Courville, <i>Deep Learning</i> (2016), §6.2.2.3.
 *
 * <p>That pass is the row kernel {@link #rows}, in float64 and float32, which the fused training
 * step runs on each core's rows: the formula is written once, here.
 *
 * <p>With {@link ClassWeights}, sample n counts w = w[y_n] times: {@code ℓ_n = w·(logsumexp(z_n) −
 * z_n[y_n])} and {@code dℓ_n/dz_nj = w·(softmax(z_n)_j − [j = y_n])}; the mean is still over the N
 * samples, as Keras' {@code class_weight} takes it (PyTorch's weighted mean divides by Σ w[y_n]
 * instead; with balanced weights the two agree on the training set as a whole, whose mean weight
 * is 1). Without weights every w is 1 and the numbers are bit for bit the unweighted ones.
 */
public final class SoftmaxCrossEntropy implements Loss {
    @Override
    public boolean hasRowKernels() {
        return true;
    }

    private final Reduction reduction;
    private final ClassWeights weights;
    private Matrix dLogits; // dL/dz of the last forward: (N, k), reused from batch to batch

    public SoftmaxCrossEntropy(Reduction reduction) {
        this(reduction, ClassWeights.NONE);
    }

    /**
     * @param weights a weight per class, resolved against the training labels before the loss is
     *                computed ({@link ClassWeights#resolve}); {@link ClassWeights#NONE} for none
     */
    public SoftmaxCrossEntropy(Reduction reduction, ClassWeights weights) {
        this.reduction = reduction;
        this.weights = weights;
    }

    /** The class weights (none: {@link ClassWeights#NONE}). */
    public ClassWeights classWeights() {
        return weights;
    }

    /** Whether some class weighs other than 1. */
    public boolean weighted() {
        return !weights.none();
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
        dLogits = Matrix.reuse(dLogits, n, k);
        double total = rows(logits.data(), 0, n, k, labels, 0, reduction.scale(n), dLogits.data(), null);
        return reduction == Reduction.SUM ? total : total / n;
    }

    /** dL/dz for the last forward: computed there, in the same pass as the loss. */
    @Override
    public Matrix backward() {
        return dLogits;
    }

    // ---- kernels: the loss and its gradient in one pass per row; float64, then float32 ------

    /**
     * Rows [0, n) of logits z (n, k) from {@code off}, against labels[labelOff + r]: writes
     * {@code g = scale·(softmax(z_r) − onehot(y_r))} at the same offsets and returns Σ_r ℓ_r.
     * Throws for a label outside [0, k).
     */
    @Override
    public double rows(double[] z, int off, int n, int k, int[] labels, int labelOff, double scale, double[] g,
                       double[] scratch) {
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int o = off + r * k, y = label(labels, labelOff + r, k);
            double w = weights.weight(y), ws = scale * w;
            total += w * (softmaxRow(z, g, o, k) - z[o + y]);
            for (int j = 0; j < k; j++) {
                g[o + j] *= ws;
            }
            g[o + y] -= ws;
        }
        return total;
    }

    /**
     * The float32 twin: each row's softmax in double, one exponential per logit kept in
     * {@code scratch} (k), and g rounded to float once, as PyTorch does for its reductions.
     */
    @Override
    public double rows(float[] z, int off, int n, int k, int[] labels, int labelOff, double scale, float[] g,
                       double[] scratch) {
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int o = off + r * k, y = label(labels, labelOff + r, k);
            double w = weights.weight(y), ws = scale * w;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                scratch[j] = Math.exp(z[o + j] - max);
                sum += scratch[j];
            }
            total += w * (max + Math.log(sum) - z[o + y]);
            double s = ws / sum;
            for (int j = 0; j < k; j++) {
                g[o + j] = (float) (s * scratch[j] - (j == y ? ws : 0.0));
            }
        }
        return total;
    }

    /** The label of row r, checked against the k classes. */
    private static int label(int[] labels, int r, int k) {
        int y = labels[r];
        if (y < 0 || y >= k) {
            throw new IllegalArgumentException("label " + y + " of row " + r + " is outside the " + k + " classes");
        }
        return y;
    }

    /** Row-wise softmax of logits z: (N, k) into a new (N, k) matrix whose rows sum to 1. */
    public static Matrix softmax(Matrix logits) {
        Matrix p = new Matrix(logits.rows(), logits.cols());
        for (int r = 0; r < logits.rows(); r++) {
            softmaxRow(logits.data(), p.data(), r * logits.cols(), logits.cols());
        }
        return p;
    }

    /** Writes softmax(z[o..o+k)) into p[o..o+k) and returns logsumexp of that row. */
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
    public String describe() {
        return "cross-entropy from log-softmax, " + reduction + " over the samples"
                + (weighted() ? ", class weights " + weights.describe() : "");
    }

    /** The reduction, and the class weights' entries when there are any ({@link ClassWeights#provenance}). */
    @Override
    public java.util.Map<String, Object> provenance() {
        java.util.Map<String, Object> p = Loss.super.provenance();
        p.putAll(weights.provenance());
        return p;
    }

    @Override
    public String toString() {
        return "softmax cross-entropy (" + reduction + ")";
    }
}
