package dev.descent.data;

import dev.descent.tensor.Matrix;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The rows of a data set's features grouped by identical values, and found by value: each row's
 * {@link RowHashes hash} in an open-addressing table whose slots lead to the first row of each
 * group with that hash (its representative), and the representatives of one hash chained, so
 * rows are compared exactly only with rows of the same hash. Primitive arrays only: a
 * 60,000-row set takes about 2 MB and no boxed number.
 *
 * <p>Built once per {@link Features} instance and kept while the features are ({@link #of}):
 * the warnings before training look for test rows among the training rows, the summary after
 * it groups the training rows, and both use the same index.
 */
public final class RowIndex {
    private static final Map<Features, RowIndex> BUILT = new WeakHashMap<>();

    private final Features x;
    private final long[] key; // slot -> hash
    private final int[] head; // slot -> representative row + 1, 0 for an empty slot
    private final int[] nextRep; // representative row -> the next representative of the same hash, or -1
    private final int[] group; // row -> its group, numbered in order of first appearance
    private final int groups;

    /** The index of x's rows by {@code hashes}, one per row (the tests give colliding ones). */
    RowIndex(Features x, long[] hashes) {
        this.x = x;
        int n = hashes.length;
        int capacity = Integer.highestOneBit(Math.max(2, 2 * n - 1)) << 1; // at most half full
        key = new long[capacity];
        head = new int[capacity];
        nextRep = new int[n];
        group = new int[n];
        int made = 0;
        for (int r = 0; r < n; r++) {
            int slot = slot(hashes[r]);
            if (head[slot] == 0) {
                key[slot] = hashes[r];
                head[slot] = r + 1;
                nextRep[r] = -1;
                group[r] = made++;
                continue;
            }
            int rep = head[slot] - 1, last = -1;
            while (rep >= 0 && !sameRow(rep, r)) {
                last = rep;
                rep = nextRep[rep];
            }
            if (rep >= 0) {
                group[r] = group[rep];
            } else { // the same hash, other values: a group of its own, chained after the others
                nextRep[r] = -1;
                nextRep[last] = r;
                group[r] = made++;
            }
        }
        groups = made;
    }

    /** The index of {@code x}'s rows, built the first time it is asked for and kept while x is. */
    public static RowIndex of(Features x) {
        synchronized (BUILT) {
            RowIndex built = BUILT.get(x);
            if (built == null) {
                built = new RowIndex(x, RowHashes.of(x));
                BUILT.put(x, built);
            }
            return built;
        }
    }

    /** The group of each row: rows with identical values share one, numbered 0.. in order of first appearance. */
    public int[] groups() {
        return group.clone();
    }

    /** How many distinct rows there are. */
    public int groupCount() {
        return groups;
    }

    /** The first row of these features equal to row r of {@code m}, or -1 when none is. */
    public int find(Matrix m, int r) {
        return find(m, r, RowHashes.of(m, r));
    }

    /** The same, for a row whose hash is h. */
    int find(Matrix m, int r, long h) {
        int slot = slot(h);
        if (head[slot] == 0) {
            return -1;
        }
        for (int rep = head[slot] - 1; rep >= 0; rep = nextRep[rep]) {
            if (sameRow(m, r, rep)) {
                return rep;
            }
        }
        return -1;
    }

    /** The slot of hash h: its own, or the empty one where it would go. */
    private int slot(long h) {
        int mask = key.length - 1;
        int s = (int) (h ^ (h >>> 32)) & mask;
        while (head[s] != 0 && key[s] != h) {
            s = (s + 1) & mask;
        }
        return s;
    }

    private boolean sameRow(int a, int b) {
        for (int c = 0; c < x.cols(); c++) {
            if (x.get(a, c) != x.get(b, c)) {
                return false;
            }
        }
        return true;
    }

    private boolean sameRow(Matrix m, int r, int row) {
        for (int c = 0; c < x.cols(); c++) {
            if (m.get(r, c) != x.get(row, c)) {
                return false;
            }
        }
        return true;
    }
}
