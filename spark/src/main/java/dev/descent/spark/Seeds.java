package dev.descent.spark;

/**
 * Every random choice of a distributed run, derived from the run's seed and where it is made,
 * never from a generator carried along: so a task that Spark runs again, on any executor, makes
 * exactly the same choices.
 */
final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long PARTITION = 0xC2B2AE3D27D4EB4FL;

    private Seeds() {}

    /**
     * The seed of partition p's row order in epoch e. Partition 0's is the library trainer's
     * ({@code Trainer}: shuffle seed · golden + epoch), so one partition shuffles as it does.
     */
    static long order(long seed, int epoch, int partition) {
        return seed * GOLDEN + epoch + partition * PARTITION;
    }

    /** The seed of partition p's validation rows. */
    static long validation(long seed, int partition) {
        return (seed ^ 0x5DEECE66DL) * GOLDEN + partition * PARTITION + 1;
    }
}
