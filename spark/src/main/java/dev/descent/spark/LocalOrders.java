package dev.descent.spark;

import dev.descent.data.Dataset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The order in which a partition visits its rows in an epoch: a shuffle seeded by the run's
 * seed, the epoch and the partition ({@link Seeds#order}), the same on every executor and every
 * attempt. Kept for the last few (partition, epoch) pairs an executor has seen, since an exact
 * run asks for the same one at each of an epoch's steps.
 */
final class LocalOrders {
    private static final int KEPT = 32;
    private static final Map<String, int[]> RECENT = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > KEPT;
        }
    };

    private LocalOrders() {}

    /** Rows 0..n-1 of {@code partition} in epoch {@code epoch}'s order. Callers must not modify it. */
    static int[] of(long seed, int epoch, int partition, int n) {
        String key = seed + "/" + epoch + "/" + partition + "/" + n;
        synchronized (RECENT) {
            return RECENT.computeIfAbsent(key, k -> Dataset.shuffled(n, new Random(Seeds.order(seed, epoch, partition))));
        }
    }

    /**
     * Where step s of an epoch starts in a partition of n of the epoch's {@code total} rows, at
     * {@code batch} rows a step: ⌊s·batch·n / total⌋, at most n. Each partition's share of a step
     * is proportional to its rows, each row falls in one step of the epoch, and one partition
     * takes the library's batches, rows [s·batch, (s + 1)·batch).
     */
    static int sliceStart(int n, long total, int batch, int step) {
        return (int) Math.min(n, (long) step * batch * n / Math.max(1, total));
    }
}
