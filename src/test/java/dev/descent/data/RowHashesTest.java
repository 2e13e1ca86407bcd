package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.descent.tensor.Matrix;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowHashesTest {
    @Test
    void equalRowsHashEqualWithMinusZeroAsZeroAndOneChangedValueAnywhereChangesTheHash() {
        for (int cols : new int[] {1, 3, 4, 7, 784}) {
            Random rng = new Random(cols);
            double[] row = new double[cols];
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextInt(3) == 0 ? 0.0 : rng.nextGaussian();
            }
            Matrix m = new Matrix(cols + 2, cols);
            for (int r = 0; r < m.rows(); r++) {
                System.arraycopy(row, 0, m.data(), r * cols, cols);
            }
            for (int j = 0; j < cols; j++) { // row 1: every 0.0 written as -0.0, the same input
                if (row[j] == 0.0) {
                    m.set(1, j, -0.0);
                }
            }
            for (int j = 0; j < cols; j++) { // rows 2..: value j changed
                m.set(2 + j, j, row[j] + 1);
            }
            long[] h = RowHashes.of(Features.of(m));
            assertEquals(h[0], h[1], cols + " columns: -0.0 and 0.0 are the same input");
            Set<Long> changed = new HashSet<>();
            for (int j = 0; j < cols; j++) {
                assertNotEquals(h[0], h[2 + j], cols + " columns, value " + j + " changed");
                changed.add(h[2 + j]);
            }
            assertEquals(cols, changed.size(), "a change in each column hashes apart from a change in another");
            assertEquals(h[0], RowHashes.of(m, 0), "a row of a matrix hashes as the same row of its features");
        }
    }

    @Test
    void swappingTwoValuesChangesTheHash() {
        Matrix m = new Matrix(4, 5, new double[] {1, 2, 3, 4, 5, 2, 1, 3, 4, 5, 5, 2, 3, 4, 1, 1, 2, 3, 5, 4});
        long[] h = RowHashes.of(Features.of(m));
        assertEquals(4, java.util.Arrays.stream(h).distinct().count());
    }
}
