package dev.descent.spark;

import dev.descent.data.Features;
import dev.descent.tensor.Matrix;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A block's feature rows, as compact as their values allow, read as the library's {@link Features}.
 * The rows are kept in chunks of {@link #chunkRows} rows, each chunk in the narrowest of three
 * kinds that holds its values exactly as they are trained on: {@link #BYTES} (at most 256
 * distinct values, each row's value a byte indexing the chunk's table of them: pixels, whether
 * 0 to 255 or scaled to [0, 1]; 1 byte a value), {@link #FLOATS} (every value a float32, or a
 * float32 run, which reads its features as floats anyway: 4 bytes) or {@link #DOUBLES} (8 bytes).
 *
 * <p>Chunks are written once, in one pass over the rows ({@link Builder}): rows are gathered in
 * one chunk's buffer of doubles, which is stored in its kind when full. No array of the whole
 * block is ever grown and copied, so building a block needs its own size and one buffer more, not
 * the three times its size that a doubling array needs.
 */
final class Storage implements Features, Serializable {
    static final byte BYTES = 0, FLOATS = 1, DOUBLES = 2;

    /** Values per chunk, about: 1 MB as bytes, 8 MB as doubles. */
    static final int CHUNK_VALUES = 1 << 20;

    private final int rows, cols, chunkRows;
    private final byte[][] bytes;
    private final double[][] tables; // a byte chunk's values, by byte
    private final float[][] floats;
    private final double[][] doubles;

    private Storage(int rows, int cols, int chunkRows, byte[][] bytes, double[][] tables, float[][] floats,
                    double[][] doubles) {
        this.rows = rows;
        this.cols = cols;
        this.chunkRows = chunkRows;
        this.bytes = bytes;
        this.tables = tables;
        this.floats = floats;
        this.doubles = doubles;
    }

    /** Whether a float32 run may keep these values as floats: always; a float64 run only where each is a float. */
    static boolean fitFloats(double[] values, int n, boolean float32) {
        if (float32) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            if (values[i] != (float) values[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Bytes the values take, tables included. */
    long bytes() {
        long total = 0;
        for (int c = 0; c < bytes.length; c++) {
            total += bytes[c] != null ? bytes[c].length + 8L * tables[c].length
                    : floats[c] != null ? 4L * floats[c].length : 8L * doubles[c].length;
        }
        return total;
    }

    /** How many chunks are held as bytes, floats and doubles. */
    int[] kinds() {
        int[] k = new int[3];
        for (int c = 0; c < bytes.length; c++) {
            k[bytes[c] != null ? BYTES : floats[c] != null ? FLOATS : DOUBLES]++;
        }
        return k;
    }

    @Override
    public double get(int row, int col) {
        int c = row / chunkRows, at = (row % chunkRows) * cols + col;
        return bytes[c] != null ? tables[c][bytes[c][at] & 0xff] : floats[c] != null ? floats[c][at] : doubles[c][at];
    }

    @Override
    public void gather(int[] order, int from, int count, Matrix out) {
        gather(order, from, count, out.data(), 0, 0, cols);
    }

    @Override
    public void gather(int[] order, int from, int count, double[] out, int off, int c0, int c1) {
        for (int i = 0; i < count; i++) {
            int row = order[from + i], c = row / chunkRows, src = (row % chunkRows) * cols, dst = off + i * cols;
            if (bytes[c] != null) {
                byte[] b = bytes[c];
                double[] table = tables[c];
                for (int j = c0; j < c1; j++) {
                    out[dst + j] = table[b[src + j] & 0xff];
                }
            } else if (floats[c] != null) {
                float[] f = floats[c];
                for (int j = c0; j < c1; j++) {
                    out[dst + j] = f[src + j];
                }
            } else {
                System.arraycopy(doubles[c], src + c0, out, dst + c0, c1 - c0);
            }
        }
    }

    @Override
    public void gather(int[] order, int from, int count, float[] out, int off, int c0, int c1) {
        for (int i = 0; i < count; i++) {
            int row = order[from + i], c = row / chunkRows, src = (row % chunkRows) * cols, dst = off + i * cols;
            if (bytes[c] != null) {
                byte[] b = bytes[c];
                double[] table = tables[c];
                for (int j = c0; j < c1; j++) {
                    out[dst + j] = (float) table[b[src + j] & 0xff];
                }
            } else if (floats[c] != null) {
                System.arraycopy(floats[c], src + c0, out, dst + c0, c1 - c0);
            } else {
                double[] d = doubles[c];
                for (int j = c0; j < c1; j++) {
                    out[dst + j] = (float) d[src + j];
                }
            }
        }
    }

    /** Appends rows one at a time into a chunk's buffer, storing each full chunk in its kind. */
    static final class Builder {
        private final int cols, chunkRows;
        private final boolean float32;
        private double[] buffer = new double[0];
        private byte[][] bytes = new byte[4][];
        private double[][] tables = new double[4][];
        private float[][] floats = new float[4][];
        private double[][] doubles = new double[4][];
        private int rows, chunks, inBuffer;

        Builder(int cols, boolean float32) {
            this.cols = cols;
            this.chunkRows = Math.max(1, CHUNK_VALUES / Math.max(1, cols));
            this.float32 = float32;
        }

        /** Appends one row of {@code cols} values. */
        void add(double[] values) {
            if ((inBuffer + 1) * cols > buffer.length) { // grows to one chunk at most: a small block's buffer stays small
                buffer = Arrays.copyOf(buffer, Math.min(chunkRows, Math.max(64, 2 * inBuffer)) * cols);
            }
            System.arraycopy(values, 0, buffer, inBuffer * cols, cols);
            rows++;
            if (++inBuffer == chunkRows) {
                store();
            }
        }

        /** Stores the buffer's rows as a chunk of the narrowest kind that holds them. */
        private void store() {
            if (chunks == bytes.length) {
                bytes = Arrays.copyOf(bytes, 2 * chunks);
                tables = Arrays.copyOf(tables, 2 * chunks);
                floats = Arrays.copyOf(floats, 2 * chunks);
                doubles = Arrays.copyOf(doubles, 2 * chunks);
            }
            int n = inBuffer * cols;
            double[] table = table(buffer, n);
            if (table != null) {
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) Arrays.binarySearch(table, buffer[i]);
                }
                bytes[chunks] = b;
                tables[chunks] = table;
            } else if (fitFloats(buffer, n, float32)) {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) buffer[i];
                }
                floats[chunks] = f;
            } else {
                doubles[chunks] = Arrays.copyOf(buffer, n);
            }
            chunks++;
            inBuffer = 0;
        }

        /**
         * The distinct values of values[0, n), sorted, when there are at most 256 of them (bit for
         * bit: −0.0 and 0.0 are two), else null.
         */
        static double[] table(double[] values, int n) {
            long[] seen = new long[512]; // open addressing on the bits of each value; 0 marks empty, so +0.0 apart
            boolean zero = false;
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                long bits = Double.doubleToRawLongBits(values[i]);
                if (bits == 0) {
                    if (!zero) {
                        zero = true;
                        distinct++;
                    }
                } else {
                    int at = (int) (Records.mix(bits) & 511);
                    while (seen[at] != 0 && seen[at] != bits) {
                        at = (at + 1) & 511;
                    }
                    if (seen[at] == 0) {
                        seen[at] = bits;
                        distinct++;
                    }
                }
                if (distinct > 256) {
                    return null;
                }
            }
            double[] table = new double[distinct];
            int k = 0;
            if (zero) {
                table[k++] = 0.0;
            }
            for (long bits : seen) {
                if (bits != 0) {
                    table[k++] = Double.longBitsToDouble(bits);
                }
            }
            Arrays.sort(table);
            return table;
        }

        /** The rows so far: the buffer's last rows stored as a chunk of their own. */
        Storage build() {
            if (inBuffer > 0) {
                store();
            }
            return new Storage(rows, cols, chunkRows, Arrays.copyOf(bytes, chunks), Arrays.copyOf(tables, chunks),
                    Arrays.copyOf(floats, chunks), Arrays.copyOf(doubles, chunks));
        }

        int rows() {
            return rows;
        }
    }
}
