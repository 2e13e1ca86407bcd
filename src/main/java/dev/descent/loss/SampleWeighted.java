package dev.descent.loss;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;
import java.util.Arrays;
import java.util.Map;

/**
 * A loss with a weight per sample, over any loss with row kernels: {@code ℓ'_n = w_n·ℓ_n}, summed,
 * or averaged over the batch's rows by the base loss's reduction, {@code L = (1/N)·Σ_n w_n·ℓ_n}:
 * Keras's {@code sample_weight} under its default reduction (sum over the batch size). With weights
 * whose mean over the data is 1 (Descent on Spark scales them so), an epoch's loss is
 * {@code Σ w·ℓ / Σ w}, the weighted loss MLlib's classifiers minimise.
 *
 * <p>A batch's labels index samples, as a regression loss's index its targets: label i means the
 * base loss's label {@code baseLabels[i]} (a class, or a row of a regression loss's targets) and
 * the weight {@code weights[i]}. Gradient: {@code dℓ'_n/dz_n = w_n·dℓ_n/dz_n}, the base loss's row
 * kernel run with its scale multiplied by w_n. A sample of weight 0 adds nothing, not even a NaN
 * of its own, and its gradient row is 0.
 */
public final class SampleWeighted implements Loss {
    private final Loss base;
    private final int[] baseLabels;
    private final double[] weights;
    private Matrix dOut; // dL/dz of the last forward: (N, k)

    /**
     * @param base       a loss with row kernels
     * @param baseLabels sample i's label for the base loss
     * @param weights    sample i's weight: finite and at least 0
     */
    public SampleWeighted(Loss base, int[] baseLabels, double[] weights) {
        if (!base.hasRowKernels()) {
            throw new IllegalArgumentException(base + " has no row kernels to weight");
        }
        if (baseLabels.length != weights.length) {
            throw new ShapeException("sample weights: " + baseLabels.length + " labels but " + weights.length
                    + " weights");
        }
        this.base = base;
        this.baseLabels = baseLabels;
        this.weights = weights;
    }

    @Override
    public double forward(Matrix output, int[] labels) {
        if (labels.length != output.rows()) {
            throw new ShapeException("loss: " + output.rows() + " rows of output but " + labels.length + " labels");
        }
        int n = output.rows(), k = output.cols();
        dOut = Matrix.reuse(dOut, n, k);
        double total = rows(output.data(), 0, n, k, labels, 0, reduction().scale(n), dOut.data(), new double[k]);
        return reduction() == Reduction.SUM ? total : total / n;
    }

    @Override
    public Matrix backward() {
        return dOut;
    }

    /** Σ_r w_r·ℓ_r over rows [0, n), the base kernel row by row with scale·w_r. */
    @Override
    public double rows(double[] z, int off, int n, int k, int[] labels, int labelOff, double scale, double[] g,
                       double[] scratch) {
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int i = sample(labels, labelOff + r), o = off + r * k;
            double w = weights[i];
            if (w == 0) {
                Arrays.fill(g, o, o + k, 0.0);
                continue;
            }
            total += w * base.rows(z, o, 1, k, baseLabels, i, scale * w, g, scratch);
        }
        return total;
    }

    /** The float32 twin. */
    @Override
    public double rows(float[] z, int off, int n, int k, int[] labels, int labelOff, double scale, float[] g,
                       double[] scratch) {
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int i = sample(labels, labelOff + r), o = off + r * k;
            double w = weights[i];
            if (w == 0) {
                Arrays.fill(g, o, o + k, 0f);
                continue;
            }
            total += w * base.rows(z, o, 1, k, baseLabels, i, scale * w, g, scratch);
        }
        return total;
    }

    private int sample(int[] labels, int r) {
        int i = labels[r];
        if (i < 0 || i >= weights.length) {
            throw new IllegalArgumentException("sample " + i + " of row " + r + " is outside the " + weights.length
                    + " weighted samples");
        }
        return i;
    }

    /** Sample i's label for the base loss: its class, for a classifier. */
    public int baseLabel(int i) {
        return baseLabels[i];
    }

    public double weight(int i) {
        return weights[i];
    }

    @Override
    public boolean hasRowKernels() {
        return true;
    }

    @Override
    public boolean classifies() {
        return base.classifies();
    }

    @Override
    public Reduction reduction() {
        return base.reduction();
    }

    @Override
    public String describe() {
        return base.describe() + ", each sample weighted";
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = base.provenance();
        p.put("sampleWeights", "per sample, w·loss");
        return p;
    }

    @Override
    public String toString() {
        return base + " weighted per sample";
    }
}
