package dev.descent.data;

import dev.descent.tensor.Matrix;

/**
 * Per-feature standardisation, {@code x' = (x − mean) / std}, with statistics computed on the
 * training split only and stored in the model so predictions see the same transform. A feature
 * that never varies gets std 1, so it maps to 0 rather than to NaN.
 */
public record Standardization(double[] mean, double[] std) {
    public Standardization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Double.isFinite(std[j]) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("feature " + j + ": mean " + mean[j] + ", std " + std[j]
                        + "; std must be positive and both finite");
            }
        }
    }

    /** Mean and (population) standard deviation of every column, in one pass per column block. */
    public static Standardization fit(Features x) {
        int n = x.rows(), k = x.cols();
        double[] mean = new double[k], m2 = new double[k];
        // Welford's update, row by row, numerically stable for large n.
        Matrix row = new Matrix(1, k);
        int[] one = new int[1];
        for (int r = 0; r < n; r++) {
            one[0] = r;
            x.gather(one, 0, 1, row);
            for (int j = 0; j < k; j++) {
                double v = row.data()[j];
                double d = v - mean[j];
                mean[j] += d / (r + 1);
                m2[j] += d * (v - mean[j]);
            }
        }
        double[] std = new double[k];
        for (int j = 0; j < k; j++) {
            double s = n > 0 ? Math.sqrt(m2[j] / n) : 0;
            std[j] = s > 1e-12 ? s : 1.0;
        }
        return new Standardization(mean, std);
    }

    /** Undoes the standardisation of the first {@code rows} rows of m in place: {@code x = x'·std + mean}. */
    public void undoInPlace(Matrix m, int rows) {
        double[] d = m.data();
        int k = m.cols();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                d[r * k + j] = d[r * k + j] * std[j] + mean[j];
            }
        }
    }

    /** Standardises the first {@code rows} rows of m in place. */
    public void applyInPlace(Matrix m, int rows) {
        double[] d = m.data();
        int k = m.cols();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                d[r * k + j] = (d[r * k + j] - mean[j]) / std[j];
            }
        }
    }
}
