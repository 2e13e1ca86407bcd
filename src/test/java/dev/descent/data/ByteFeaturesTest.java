package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Features stored as unsigned bytes (IDX images): what a gather writes is what {@code get} reads. */
class ByteFeaturesTest {
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
