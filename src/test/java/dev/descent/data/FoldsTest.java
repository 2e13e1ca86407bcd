package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FoldsTest {
    /** 90 rows of class 0, 10 of class 1, 5 of class 2, in 5 folds: each fold 21 rows, 18/2/1 of them. */
    @Test
    void stratifiedFoldsHoldEachClassInItsShare() {
        int[] labels = new int[105];
        for (int i = 90; i < 100; i++) {
            labels[i] = 1;
        }
        for (int i = 100; i < 105; i++) {
            labels[i] = 2;
        }
        int[] fold = Folds.stratified(labels, 3, 5, 7);
        for (int f = 0; f < 5; f++) {
            int[] rows = Folds.rows(fold, f, true);
            assertEquals(21, rows.length);
            int[] counts = new int[3];
            for (int r : rows) {
                counts[labels[r]]++;
            }
            assertArrayEquals(new int[] {18, 2, 1}, counts, "fold " + f);
            assertEquals(105 - 21, Folds.rows(fold, f, false).length);
        }
        assertArrayEquals(fold, Folds.stratified(labels, 3, 5, 7), "seeded");
        assertFalse(Arrays.equals(fold, Folds.stratified(labels, 3, 5, 8)), "another seed, another shuffle");
        assertThrows(IllegalArgumentException.class, () -> Folds.stratified(labels, 3, 6, 7), "class 2 has 5 rows");
        assertThrows(IllegalArgumentException.class, () -> Folds.stratified(labels, 3, 1, 7));
    }

    /** Over seeds and fold counts: a fold's rows are never in its own training split, and every row is held out once. */
    @Test
    void aFoldsRowsAreNeverInItsTrainingSplit() {
        java.util.Random rng = new java.util.Random(234);
        for (int trial = 0; trial < 50; trial++) {
            int n = 20 + rng.nextInt(200), classes = 2 + rng.nextInt(3), k = 2 + rng.nextInt(4);
            int[] labels = new int[n];
            for (int r = 0; r < n; r++) {
                labels[r] = r < classes * k ? r % classes : rng.nextInt(classes); // every class at least k rows
            }
            int[] fold = trial % 2 == 0 ? Folds.stratified(labels, classes, k, trial) : Folds.shuffled(n, k, trial);
            int[] heldOut = new int[n];
            for (int f = 0; f < k; f++) {
                int[] in = Folds.rows(fold, f, true), out = Folds.rows(fold, f, false);
                java.util.Set<Integer> training = new java.util.HashSet<>();
                for (int r : out) {
                    training.add(r);
                }
                for (int r : in) {
                    assertFalse(training.contains(r), "row " + r + " of fold " + f + " trains it");
                    heldOut[r]++;
                }
                assertEquals(n, in.length + out.length);
            }
            int[] once = new int[n];
            Arrays.fill(once, 1);
            assertArrayEquals(once, heldOut, "every row held out exactly once");
        }
    }

    @Test
    void shuffledFoldsDifferInSizeByAtMostOne() {
        int[] fold = Folds.shuffled(23, 4, 1);
        int[] sizes = new int[4];
        for (int f : fold) {
            sizes[f]++;
        }
        assertArrayEquals(new int[] {6, 6, 6, 5}, sizes);
        assertTrue(Folds.rows(fold, 0, true)[0] >= 0);
        assertThrows(IllegalArgumentException.class, () -> Folds.shuffled(3, 4, 1));
    }
}
