package dev.descent.loss;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;
import java.util.Map;

/**
 * A loss of real-valued outputs z: (N, t) against real-valued targets, as the sum over each
 * row's t targets of a penalty ρ of the residual d = z − y, averaged over the targets:
 * {@code ℓ_r = (1/t)·Σ_j ρ(z_rj − y_rj)}. The network's output is linear (its last dense layer,
 * no softmax).
 *
 * <p>The targets are a matrix (M, t) given to the loss, and a batch's "labels" are the rows of
 * that matrix its samples' targets are in: label i of row r means the targets of row r are
 * {@code targets[i]}. So the schedules, which pass a batch's labels on by row offset, run a
 * regression loss as they run cross-entropy (docs/architecture.md). A data set split into
 * training and validation rows shares its targets; a set of its own (a test set) takes
 * {@link #withTargets} its own.
 *
 * <p>Each subclass gives ρ and ρ' once, and the row kernels below (float64 and float32) apply
 * them: {@code g_rj = scale·ρ'(d_rj)/t}.
 */
public abstract class RegressionLoss implements Loss {
    private final Reduction reduction;
    private final Matrix targets; // (M, t)
    private Matrix dOut; // dL/dz of the last forward: (N, t)

    protected RegressionLoss(Reduction reduction, Matrix targets) {
        this.reduction = reduction;
        this.targets = targets;
    }

    /** This loss over other targets, (M', t), such as a test set's. */
    public abstract RegressionLoss withTargets(Matrix targets);

    /** The loss's name as the command line takes it: {@code mse}, {@code huber}. */
    public abstract String name();

    /** The penalty in words, with its constants: {@code mean squared error}, {@code huber, delta 1.0}. */
    protected abstract String penaltyName();

    @Override
    public String describe() {
        return penaltyName() + ", " + reduction + " over the samples";
    }

    @Override
    public String toString() {
        return penaltyName() + " (" + reduction + ")";
    }

    @Override
    public Map<String, Object> provenance() {
        Map<String, Object> p = Loss.super.provenance();
        p.put("task", "regression");
        p.put("loss", name());
        return p;
    }

    /** ρ(d), the penalty of one residual. */
    protected abstract double penalty(double d);

    /** ρ'(d). */
    protected abstract double slope(double d);

    public Matrix targets() {
        return targets;
    }

    @Override
    public boolean classifies() {
        return false;
    }

    @Override
    public boolean hasRowKernels() {
        return true;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    /** z: (N, t) against the targets of rows labels: (N) of the targets matrix. */
    @Override
    public double forward(Matrix output, int[] labels) {
        if (labels.length != output.rows()) {
            throw new ShapeException("loss: " + output.rows() + " rows of output but " + labels.length + " targets");
        }
        if (output.cols() != targets.cols()) {
            throw new ShapeException("loss: " + output.cols() + " outputs but " + targets.cols() + " targets per row");
        }
        int n = output.rows(), k = output.cols();
        dOut = Matrix.reuse(dOut, n, k);
        double total = rows(output.data(), 0, n, k, labels, 0, reduction.scale(n), dOut.data(), null);
        return reduction == Reduction.SUM ? total : total / n;
    }

    /** dL/dz for the last forward, computed there in the same pass as the loss. */
    @Override
    public Matrix backward() {
        return dOut;
    }

    // ---- kernels: the loss and its gradient in one pass per row; float64, then float32 ------

    /** Rows [0, n) of z (n, k) from {@code off} against targets[labels[labelOff + r]]: Σ ℓ_r, and g = scale·dℓ_r/dz_r. */
    @Override
    public double rows(double[] z, int off, int n, int k, int[] labels, int labelOff, double scale, double[] g,
                       double[] scratch) {
        double[] y = targets.data();
        double total = 0.0, s = scale / k;
        for (int r = 0; r < n; r++) {
            int o = off + r * k, t = row(labels, labelOff + r) * k;
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                double d = z[o + j] - y[t + j];
                sum += penalty(d);
                g[o + j] = s * slope(d);
            }
            total += sum / k;
        }
        return total;
    }

    /** The float32 twin: each residual in double from the float output, g rounded to float once. */
    @Override
    public double rows(float[] z, int off, int n, int k, int[] labels, int labelOff, double scale, float[] g,
                       double[] scratch) {
        double[] y = targets.data();
        double total = 0.0, s = scale / k;
        for (int r = 0; r < n; r++) {
            int o = off + r * k, t = row(labels, labelOff + r) * k;
            double sum = 0.0;
            for (int j = 0; j < k; j++) {
                double d = z[o + j] - y[t + j];
                sum += penalty(d);
                g[o + j] = (float) (s * slope(d));
            }
            total += sum / k;
        }
        return total;
    }

    /** The targets' row of sample r, checked. */
    private int row(int[] labels, int r) {
        int i = labels[r];
        if (i < 0 || i >= targets.rows()) {
            throw new IllegalArgumentException("target row " + i + " of sample " + r + " is outside the "
                    + targets.rows() + " rows of targets");
        }
        return i;
    }
}
