package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a gather of rows, or of a block of their columns, writes is what {@code get} reads: bytes (IDX images) and the other storages. */
class FeaturesGatherTest {
    /**
     * A block of columns, as a core of the fused step reads the other cores' rows, from every
     * kind of storage: those columns as {@code get} reads them, every other value untouched.
     */
    @Test
    void aBlockOfColumnsIsWrittenWhereItStandsAndNothingElse() {
        Random rng = new Random(8);
        int rows = 40, cols = 150;
        byte[] data = new byte[rows * cols];
        rng.nextBytes(data);
        Features bytes = Features.ofBytes(data, rows, cols, 1 / 255.0);
        Features doubles = Features.of(bytes.toMatrix());
        int[] subset = {5, 0, 39, 12, 7, 7, 30, 2, 19, 33, 1, 8};
        for (Features f : List.of(bytes, doubles, bytes.select(subset), doubles.standardized(Standardization.fit(doubles)))) {
            int[] order = {3, 9, 0, 11, 4, 6, 2};
            int from = 1, count = 5, off = 3, c0 = 61, c1 = 129;
            double[] out = new double[off + count * cols + 2];
            float[] outF = new float[out.length];
            java.util.Arrays.fill(out, -7);
            java.util.Arrays.fill(outF, -7);
            f.gather(order, from, count, out, off, c0, c1);
            f.gather(order, from, count, outF, off, c0, c1);
            for (int at = 0; at < out.length; at++) {
                int i = (at - off) / cols, j = (at - off) % cols;
                boolean inBlock = at >= off && i < count && j >= c0 && j < c1;
                double expected = inBlock ? f.get(order[from + i], j) : -7;
                assertEquals(expected, out[at], "at " + at);
                assertEquals((float) expected, outF[at], "at " + at);
            }
        }
    }

    @Test
    void gatheredRowsAreTheValuesGetReadsForEveryRowWidth() {
        Random rng = new Random(5);
        // Widths below, at and across the 64-byte lines that the gather reads ahead of converting.
        for (int cols : new int[] {0, 1, 63, 64, 65, 130, 784}) {
            int rows = 50;
            byte[] data = new byte[rows * cols];
            rng.nextBytes(data);
            Features f = Features.ofBytes(data, rows, cols, 1 / 255.0);
            int[] order = new int[20];
            for (int i = 0; i < order.length; i++) {
                order[i] = rng.nextInt(rows);
            }
            int from = 3, count = 15, off = 2;
            double[] doubles = new double[off + count * cols];
            float[] floats = new float[off + count * cols];
            f.gather(order, from, count, doubles, off);
            f.gather(order, from, count, floats, off);
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < cols; j++) {
                    double v = f.get(order[from + i], j);
                    assertEquals((data[order[from + i] * cols + j] & 0xff) / 255.0, v, 1e-15);
                    assertEquals(v, doubles[off + i * cols + j], "width " + cols + ", row " + i + ", column " + j);
                    assertEquals((float) v, floats[off + i * cols + j], "width " + cols + ", row " + i + ", column " + j);
                }
            }
        }
    }
}
