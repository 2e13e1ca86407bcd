package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rows grouped by identical values and found by value, against the plain rule (compare every row
 * with every earlier one), with real hashes and with hashes made to collide, where rows of
 * different values share a hash and only the exact comparison tells them apart.
 */
class RowIndexTest {
    /** 300 rows of 6 values, drawn from 40 distinct rows, -0.0 written for some 0.0. */
    private static Matrix rows(Random rng) {
        Matrix distinct = new Matrix(40, 6);
        for (int i = 0; i < distinct.data().length; i++) {
            distinct.data()[i] = rng.nextInt(4) == 0 ? 0.0 : rng.nextInt(5);
        }
        Matrix m = new Matrix(300, 6);
        for (int r = 0; r < 300; r++) {
            int from = rng.nextInt(40);
            for (int c = 0; c < 6; c++) {
                double v = distinct.get(from, c);
                m.set(r, c, v == 0.0 && rng.nextBoolean() ? -0.0 : v);
            }
        }
        return m;
    }

    /** The group of each row by the plain rule: the group of the first earlier row with the same values, else a new one. */
    private static int[] plainGroups(Matrix m) {
        int[] group = new int[m.rows()];
        int made = 0;
        for (int r = 0; r < m.rows(); r++) {
            group[r] = -1;
            for (int e = 0; e < r && group[r] < 0; e++) {
                if (same(m, e, m, r)) {
                    group[r] = group[e];
                }
            }
            if (group[r] < 0) {
                group[r] = made++;
            }
        }
        return group;
    }

    private static boolean same(Matrix a, int ra, Matrix b, int rb) {
        for (int c = 0; c < a.cols(); c++) {
            if (a.get(ra, c) != b.get(rb, c)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void groupsAreThePlainRulesWithRealAndWithCollidingHashes() {
        Random rng = new Random(1);
        Matrix m = rows(rng);
        Features x = Features.of(m);
        int[] plain = plainGroups(m);
        long[] colliding = new long[m.rows()];
        for (int r = 0; r < colliding.length; r++) {
            colliding[r] = (long) (m.get(r, 0) + 0.0) % 2; // two hashes for 40 distinct rows
        }
        for (RowIndex index : List.of(RowIndex.of(x), new RowIndex(x, colliding))) {
            assertArrayEquals(plain, index.groups());
            assertEquals(java.util.Arrays.stream(plain).max().getAsInt() + 1, index.groupCount());
        }
    }

    @Test
    void aRowIsFoundAsTheFirstEqualRowOrNotAtAll() {
        Random rng = new Random(2);
        Matrix m = rows(rng);
        Features x = Features.of(m);
        Matrix probes = rows(new Random(3)); // other draws: some rows equal to rows of m, some not
        long[] colliding = new long[m.rows()];
        java.util.Arrays.fill(colliding, 42); // every row one hash: the exact comparison decides alone
        for (RowIndex index : List.of(RowIndex.of(x), new RowIndex(x, colliding))) {
            for (int p = 0; p < probes.rows(); p++) {
                int expected = -1;
                for (int r = 0; r < m.rows() && expected < 0; r++) {
                    if (same(probes, p, m, r)) {
                        expected = r;
                    }
                }
                int found = index == RowIndex.of(x) ? index.find(probes, p) : findColliding(index, probes, p);
                assertEquals(expected, found, "probe row " + p);
            }
        }
    }

    /** find() hashes the probe itself; with made-up hashes every probe is given the one hash instead. */
    private static int findColliding(RowIndex index, Matrix probes, int p) {
        return index.find(probes, p, 42);
    }

    @Test
    void theIndexOfAFeaturesIsBuiltOnce() {
        Features x = Features.of(rows(new Random(4)));
        assertSame(RowIndex.of(x), RowIndex.of(x));
    }

    @Test
    void contradictionsCountTheGroupsAsBefore() {
        // rows 0, 2, 4 identical with labels 0, 1, 1; rows 1 and 3 identical with labels 2, 2; row 5 alone
        Matrix m = new Matrix(6, 2, new double[] {1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 3, 3});
        Dataset d = new Dataset(m, new int[] {0, 2, 1, 2, 1, 0}, List.of("a", "b", "c"), "six rows");
        Contradictions c = Contradictions.of(d);
        assertEquals(1, c.groups().size());
        assertArrayEquals(new int[] {0, 2, 4}, c.groups().get(0));
        assertEquals(2 + 2 + 1, c.maxCorrect(), "the group of three gets 2 right, the pair 2, the single row 1");
        assertEquals(-(Math.log(1.0 / 3) + 2 * Math.log(2.0 / 3)), c.summedFloor(), 1e-15);
    }
}
