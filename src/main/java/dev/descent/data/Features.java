package dev.descent.data;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.Parallel;

/**
 * The feature rows of a data set, stored however is compact for them, read out a batch at a time
 * as doubles. Images stay bytes ({@link #ofBytes}), a 60,000 x 784 set taking 47 MB rather than
 * the 376 MB of doubles.
 */
public interface Features {
    int rows();

    int cols();

    double get(int row, int col);

    /**
     * Copies rows {@code order[from]}, ..., {@code order[from + count - 1]} into the first
     * {@code count} rows of {@code out}: (≥count, cols). Modifies out.
     */
    void gather(int[] order, int from, int count, Matrix out);

    /**
     * As {@link #gather(int[], int, int, Matrix)}, into {@code out[off, off + count·cols)}: a
     * block of a batch, as each core of the fused training step reads its own.
     */
    default void gather(int[] order, int from, int count, double[] out, int off) {
        gather(order, from, count, out, off, 0, cols());
    }

    /**
     * As {@link #gather(int[], int, int, Matrix)}, rounded to float32, into
     * {@code out[off, off + count·cols)}: what a float32 training step reads, without a batch of
     * doubles in between.
     */
    default void gather(int[] order, int from, int count, float[] out, int off) {
        gather(order, from, count, out, off, 0, cols());
    }

    /**
     * Columns [c0, c1) of the rows of {@link #gather(int[], int, int, double[], int)}, each where
     * it stands in its row, {@code out[off + i·cols + j]}; the other columns are left as they are.
     * A core of the fused training step reads the other cores' rows this way, only the columns
     * of its own block of the first layer's weight gradient. By default value by value; byte
     * and double storage override it.
     */
    default void gather(int[] order, int from, int count, double[] out, int off, int c0, int c1) {
        int c = cols();
        for (int i = 0; i < count; i++) {
            for (int j = c0; j < c1; j++) {
                out[off + i * c + j] = get(order[from + i], j);
            }
        }
    }

    /** As {@link #gather(int[], int, int, double[], int, int, int)}, rounded to float32. */
    default void gather(int[] order, int from, int count, float[] out, int off, int c0, int c1) {
        int c = cols();
        for (int i = 0; i < count; i++) {
            for (int j = c0; j < c1; j++) {
                out[off + i * c + j] = (float) get(order[from + i], j);
            }
        }
    }

    /** All rows, in order, as one matrix (shared, not copied, where the storage already is one). */
    default Matrix toMatrix() {
        Matrix m = new Matrix(rows(), cols());
        int[] identity = new int[rows()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        gather(identity, 0, rows(), m);
        return m;
    }

    /** Features held as a matrix of doubles (not copied). */
    static Features of(Matrix m) {
        return new Features() {
            @Override
            public int rows() {
                return m.rows();
            }

            @Override
            public int cols() {
                return m.cols();
            }

            @Override
            public double get(int row, int col) {
                return m.get(row, col);
            }

            @Override
            public void gather(int[] order, int from, int count, Matrix out) {
                gather(order, from, count, out.data(), 0);
            }

            @Override
            public void gather(int[] order, int from, int count, double[] out, int off, int c0, int c1) {
                int c = m.cols();
                for (int i = 0; i < count; i++) {
                    System.arraycopy(m.data(), order[from + i] * c + c0, out, off + i * c + c0, c1 - c0);
                }
            }

            @Override
            public void gather(int[] order, int from, int count, float[] out, int off, int c0, int c1) {
                int c = m.cols();
                double[] d = m.data();
                for (int i = 0; i < count; i++) {
                    int src = order[from + i] * c, dst = off + i * c;
                    for (int j = c0; j < c1; j++) {
                        out[dst + j] = (float) d[src + j];
                    }
                }
            }

            @Override
            public Matrix toMatrix() {
                return m;
            }
        };
    }

    /** Unsigned bytes, row-major, read as {@code byte × scale}: pixels 0..255 with scale 1/255 give [0, 1]. */
    static Features ofBytes(byte[] data, int rows, int cols, double scale) {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + "x" + cols + " features need " + (long) rows * cols
                    + " bytes, got " + data.length);
        }
        double[] value = new double[256]; // byte -> value, looked up rather than converted
        float[] rounded = new float[256];
        for (int b = 0; b < 256; b++) {
            value[b] = b * scale;
            rounded[b] = (float) value[b];
        }
        return new Features() {
            @Override
            public int rows() {
                return rows;
            }

            @Override
            public int cols() {
                return cols;
            }

            @Override
            public double get(int row, int col) {
                return value[data[row * cols + col] & 0xff];
            }

            @Override
            public void gather(int[] order, int from, int count, Matrix out) {
                // Split across cores like a product: a lookup and a store cost about four multiply-adds.
                Parallel.rows(count, 4L * count * cols, (lo, hi) -> gather(order, from + lo, hi - lo, out.data(), lo * cols));
            }

            /** What {@link #touch} read, kept so that its reads cannot be left out. */
            int touched;

            /**
             * Reads one byte of every cache line of the rows' columns [c0, c1) first, so that
             * those reads, which do not depend on one another, go to memory at once: the lookup
             * loop alone reaches a row's lines one or two at a time. The rows of a shuffled batch
             * are scattered over a data set larger than the cache (Fashion-MNIST's 60,000 rows
             * are 47 MB): 64 of them took 44–49 µs to convert this way and 23–25 µs after this
             * pass (a core of an AMD EPYC, Java 17 and 25), against 16 µs for rows already in the
             * cache.
             */
            private void touch(int[] order, int from, int count, int c0, int c1) {
                if (c1 <= c0) {
                    return;
                }
                int sum = 0;
                for (int i = 0; i < count; i++) {
                    int src = order[from + i] * cols;
                    for (int j = c0; j < c1; j += 64) {
                        sum += data[src + j];
                    }
                    sum += data[src + c1 - 1];
                }
                touched = sum;
            }

            @Override
            public void gather(int[] order, int from, int count, double[] out, int off, int c0, int c1) {
                touch(order, from, count, c0, c1);
                for (int i = 0; i < count; i++) {
                    int src = order[from + i] * cols, dst = off + i * cols;
                    for (int j = c0; j < c1; j++) {
                        out[dst + j] = value[data[src + j] & 0xff];
                    }
                }
            }

            @Override
            public void gather(int[] order, int from, int count, float[] out, int off, int c0, int c1) {
                touch(order, from, count, c0, c1);
                for (int i = 0; i < count; i++) {
                    int src = order[from + i] * cols, dst = off + i * cols;
                    for (int j = c0; j < c1; j++) {
                        out[dst + j] = rounded[data[src + j] & 0xff];
                    }
                }
            }
        };
    }

    /** These features with each column standardised, {@code (x - mean) / std}, computed on the fly. */
    default Features standardized(Standardization s) {
        Features base = this;
        if (s.mean().length != cols()) {
            throw new IllegalArgumentException("standardisation for " + s.mean().length + " features applied to "
                    + cols());
        }
        return new Features() {
            @Override
            public int rows() {
                return base.rows();
            }

            @Override
            public int cols() {
                return base.cols();
            }

            @Override
            public double get(int row, int col) {
                return (base.get(row, col) - s.mean()[col]) / s.std()[col];
            }

            @Override
            public void gather(int[] order, int from, int count, Matrix out) {
                base.gather(order, from, count, out);
                s.applyInPlace(out, count);
            }

            @Override
            public void gather(int[] order, int from, int count, double[] out, int off, int c0, int c1) {
                base.gather(order, from, count, out, off, c0, c1);
                int c = cols();
                for (int i = 0; i < count; i++) {
                    for (int j = c0; j < c1; j++) {
                        int at = off + i * c + j;
                        out[at] = (out[at] - s.mean()[j]) / s.std()[j];
                    }
                }
            }
        };
    }

    /** A view of the rows listed in {@code subset}, in that order. */
    default Features select(int[] subset) {
        Features base = this;
        return new Features() {
            @Override
            public int rows() {
                return subset.length;
            }

            @Override
            public int cols() {
                return base.cols();
            }

            @Override
            public double get(int row, int col) {
                return base.get(subset[row], col);
            }

            @Override
            public void gather(int[] order, int from, int count, Matrix out) {
                int[] mapped = new int[count];
                for (int i = 0; i < count; i++) {
                    mapped[i] = subset[order[from + i]];
                }
                base.gather(mapped, 0, count, out);
            }

            @Override
            public void gather(int[] order, int from, int count, double[] out, int off, int c0, int c1) {
                for (int i = 0; i < count; i++) {
                    base.gather(subset, order[from + i], 1, out, off + i * base.cols(), c0, c1);
                }
            }

            @Override
            public void gather(int[] order, int from, int count, float[] out, int off, int c0, int c1) {
                for (int i = 0; i < count; i++) {
                    base.gather(subset, order[from + i], 1, out, off + i * base.cols(), c0, c1);
                }
            }
        };
    }
}
