package dev.descent.data;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.Parallel;

/**
 * A 64-bit hash of each row's values (their bits, −0.0 counted as 0.0): equal rows hash equal, so
 * rows that may be identical are found by hash and then compared exactly. Each row is hashed in
 * four interleaved streams (values j, j + 4, ...), whose multiplications do not wait for one
 * another, with the round, merge and final mix of xxHash64 (Yann Collet, xxHash specification):
 * its rotations carry a change in a value's top bits (where doubles differ) into every bit of the
 * hash, which a plain multiplication would shift out. Rows are read a block at a time, so a
 * data set stored as bytes is widened once per pass.
 */
public final class RowHashes {
    private static final long P1 = 0x9E3779B185EBCA87L, P2 = 0xC2B2AE3D27D4EB4FL, P3 = 0x165667B19E3779F9L,
            P4 = 0x85EBCA77C2B2AE63L;

    private RowHashes() {}

    /** Rows read and hashed at a time, by each core. */
    private static final int BLOCK = 256;

    /**
     * The hash of every row of {@code x}, in order: the rows split across the cores, each core
     * widening a block of its rows at a time into a buffer of its own.
     */
    public static long[] of(Features x) {
        int n = x.rows(), c = x.cols();
        long[] h = new long[n];
        if (n == 0) {
            return h;
        }
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        int parts = (int) Math.max(1, Math.min(Parallel.THREADS, (long) n * c / (1 << 16)));
        Parallel.parts(n, parts, (part, from, to) -> {
            Matrix block = new Matrix(Math.min(BLOCK, to - from), c);
            for (int lo = from; lo < to; lo += BLOCK) {
                int count = Math.min(BLOCK, to - lo);
                x.gather(identity, lo, count, block.data(), 0);
                for (int r = 0; r < count; r++) {
                    h[lo + r] = of(block, r);
                }
            }
        });
        return h;
    }

    /** The hash of row r of {@code x}. */
    public static long of(Matrix x, int r) {
        double[] a = x.data();
        int c = x.cols(), off = r * c, j = 0;
        long h0 = P1 + P2, h1 = P2, h2 = 0, h3 = -P1;
        for (; j + 3 < c; j += 4) {
            h0 = round(h0, bits(a[off + j]));
            h1 = round(h1, bits(a[off + j + 1]));
            h2 = round(h2, bits(a[off + j + 2]));
            h3 = round(h3, bits(a[off + j + 3]));
        }
        long h = Long.rotateLeft(h0, 1) + Long.rotateLeft(h1, 7) + Long.rotateLeft(h2, 12) + Long.rotateLeft(h3, 18);
        h = merge(merge(merge(merge(h, h0), h1), h2), h3) + 8L * c;
        for (; j < c; j++) {
            h = Long.rotateLeft(h ^ round(0, bits(a[off + j])), 27) * P1 + P4;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }

    private static long round(long acc, long v) {
        return Long.rotateLeft(acc + v * P2, 31) * P1;
    }

    private static long merge(long h, long lane) {
        return (h ^ round(0, lane)) * P1 + P4;
    }

    private static long bits(double v) {
        return Double.doubleToLongBits(v + 0.0); // + 0.0: -0.0 and 0.0 are the same input
    }
}
