package dev.descent.tensor;

import java.util.Arrays;

/**
 * A dense matrix of doubles in row-major order: entry (r, c) lives at {@code data[r * cols + c]}.
 *
 * <p>A vector is a matrix with one row. The backing array is exposed on purpose: layers and
 * gradient sources index it directly in their inner loops, the way EJML's {@code DMatrixRMaj}
 * does. Operations that combine matrices live in {@link MatrixOps}.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /** A {@code rows x cols} matrix of zeros. */
    public Matrix(int rows, int cols) {
        this(rows, cols, new double[checkedSize(rows, cols)]);
    }

    /** Wraps {@code data} (not copied) as a {@code rows x cols} matrix. */
    public Matrix(int rows, int cols, double[] data) {
        if (data.length != checkedSize(rows, cols)) {
            throw new IllegalArgumentException(
                    "a " + rows + "x" + cols + " matrix needs " + rows * (long) cols
                            + " values, got " + data.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** Copies a rectangular array of rows. */
    public static Matrix of(double[][] values) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + values[i].length + " values, row 0 has " + c);
            }
            System.arraycopy(values[i], 0, m.data, i * c, c);
        }
        return m;
    }

    /**
     * {@code m} itself when it is already {@code rows x cols}, else a new matrix of zeros: how
     * layers keep their output and gradient buffers from one batch to the next without allocating.
     */
    public static Matrix reuse(Matrix m, int rows, int cols) {
        return m != null && m.rows == rows && m.cols == cols ? m : new Matrix(rows, cols);
    }

    /** A one-row matrix holding a copy of {@code values}. */
    public static Matrix rowVector(double... values) {
        return new Matrix(1, values.length, values.clone());
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("no matrix of shape " + rows + "x" + cols);
        }
        return rows * cols;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of entries, {@code rows * cols}. */
    public int size() {
        return data.length;
    }

    /** The backing array, row-major; writes go straight into this matrix. */
    public double[] data() {
        return data;
    }

    public double get(int r, int c) {
        return data[r * cols + c];
    }

    public void set(int r, int c, double value) {
        data[r * cols + c] = value;
    }

    /** The shape as {@code "rows x cols"}, the way error messages state it. */
    public String shape() {
        return rows + "x" + cols;
    }

    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** Sets every entry to zero. Modifies this matrix. */
    public void zeroInPlace() {
        Arrays.fill(data, 0.0);
    }

    /** Copies {@code other}'s entries into this matrix, which must have the same shape. */
    public void copyFrom(Matrix other) {
        MatrixOps.requireSameShape(this, other, "copyFrom");
        System.arraycopy(other.data, 0, data, 0, data.length);
    }

    /** A copy as an array of rows. */
    public double[][] toArray() {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /** A copy of row {@code r}. */
    public double[] row(int r) {
        return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix m && m.rows == rows && m.cols == cols
                && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Matrix " + shape() + " " + Arrays.deepToString(toArray());
    }
}
