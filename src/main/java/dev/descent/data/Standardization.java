package dev.descent.data;

import dev.descent.tensor.Matrix;

/**
 * Per-feature standardisation, {@code x' = (x − mean) / std}, with statistics computed on the
 * training split only and stored in the model so predictions see the same transform. A feature
 * that never varies gets std 1, so it maps to 0 rather than to NaN.
 *
 * <p>Any finite column can be fitted: where the squares of its values would overflow (values near
 * 1e200, or ±1.5e308), the statistics are computed on the values scaled by the column's largest
 * magnitude and scaled back, so they are finite. Only a column whose values lie further from their
 * mean than a double can hold ({@code x − mean} itself overflows: values of both signs near
 * 1.7e308) cannot be standardised, and is refused ({@link NotRepresentable}).
 */
public record Standardization(double[] mean, double[] std) {
    public Standardization {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " standard deviations");
        }
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 0) || !Double.isFinite(std[j]) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("column " + (j + 1) + ": mean " + mean[j] + ", std " + std[j]
                        + "; std must be positive and both finite");
            }
        }
    }

    /**
     * A column whose values cannot be standardised in doubles: some lie further from the mean than
     * the largest double. {@link #column()} is its index, from 0, for the caller to name it.
     */
    public static final class NotRepresentable extends IllegalArgumentException {
        private final int column;

        NotRepresentable(int column, double min, double max) {
            super(String.format(java.util.Locale.ROOT, "values from %.6g to %.6g lie further from their mean than a "
                    + "double can hold, so they cannot be standardised; scale the column down (divide it by 1e10, say)",
                    min, max));
            this.column = column;
        }

        public int column() {
            return column;
        }
    }

    /**
     * Mean and (population) standard deviation of every column, in one pass per column block.
     *
     * @throws NotRepresentable for a column whose values lie further from their mean than a double holds
     */
    public static Standardization fit(Features x) {
        int n = x.rows(), k = x.cols();
        double[] mean = new double[k], m2 = new double[k];
        welford(x, mean, m2, null);
        double[] std = new double[k];
        boolean[] overflowed = new boolean[k];
        boolean any = false;
        for (int j = 0; j < k; j++) {
            double s = n > 0 ? Math.sqrt(m2[j] / n) : 0;
            overflowed[j] = !Double.isFinite(s) || !Double.isFinite(mean[j]);
            any |= overflowed[j];
            std[j] = s > 1e-12 ? s : 1.0;
        }
        if (any) { // only for values near the top of the double range: ordinary data keeps these exact numbers
            refit(x, mean, std, overflowed);
        }
        return new Standardization(mean, std);
    }

    /**
     * Welford's update, row by row, numerically stable for large n; on the values divided by
     * {@code scale} (per column) when it is not null.
     */
    private static void welford(Features x, double[] mean, double[] m2, double[] scale) {
        int n = x.rows(), k = x.cols();
        Matrix row = new Matrix(1, k);
        int[] one = new int[1];
        for (int r = 0; r < n; r++) {
            one[0] = r;
            x.gather(one, 0, 1, row);
            for (int j = 0; j < k; j++) {
                double v = scale == null ? row.data()[j] : row.data()[j] / scale[j];
                double d = v - mean[j];
                mean[j] += d / (r + 1);
                m2[j] += d * (v - mean[j]);
            }
        }
    }

    /**
     * The statistics of columns whose squares (or sums) overflow, on values scaled into [−1, 1] by
     * the column's largest magnitude and scaled back; refuses a column that no scaling saves.
     */
    private static void refit(Features x, double[] mean, double[] std, boolean[] overflowed) {
        int n = x.rows(), k = x.cols();
        double[] min = new double[k], max = new double[k], scale = new double[k];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Matrix row = new Matrix(1, k);
        int[] one = new int[1];
        for (int r = 0; r < n; r++) {
            one[0] = r;
            x.gather(one, 0, 1, row);
            for (int j = 0; j < k; j++) {
                min[j] = Math.min(min[j], row.data()[j]);
                max[j] = Math.max(max[j], row.data()[j]);
            }
        }
        for (int j = 0; j < k; j++) {
            scale[j] = Math.max(Math.max(Math.abs(min[j]), Math.abs(max[j])), Double.MIN_NORMAL);
        }
        double[] scaledMean = new double[k], m2 = new double[k];
        welford(x, scaledMean, m2, scale);
        for (int j = 0; j < k; j++) {
            if (!overflowed[j]) {
                continue;
            }
            mean[j] = scaledMean[j] * scale[j];
            double s = Math.sqrt(m2[j] / n) * scale[j];
            std[j] = s > 1e-12 ? s : 1.0;
            if (!Double.isFinite(max[j] - mean[j]) || !Double.isFinite(mean[j] - min[j])) {
                throw new NotRepresentable(j, min[j], max[j]);
            }
        }
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
