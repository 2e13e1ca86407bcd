package dev.descent.tensor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop over rows across the machine's cores. Each row is computed by exactly the same
 * arithmetic whichever thread runs it, so results do not depend on the number of threads.
 * Small loops run on the calling thread: below {@link #MIN_WORK} multiply-adds the hand-off
 * costs more than it saves.
 */
final class Parallel {
    private Parallel() {}

    /** Multiply-adds below which a loop stays on the calling thread. */
    static final long MIN_WORK = 1 << 17;

    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "descent-matrix");
        t.setDaemon(true);
        return t;
    });

    /** Runs rows [from, to) of a loop. */
    @FunctionalInterface
    interface Rows {
        void run(int from, int to);
    }

    /** Runs {@code body} over rows [0, n), split across the cores when {@code work} is large enough. */
    static void rows(int n, long work, Rows body) {
        int parts = (int) Math.min(THREADS, Math.min(n, work / MIN_WORK));
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int p = 0; p < parts - 1; p++) {
            int from = (int) ((long) n * p / parts), to = (int) ((long) n * (p + 1) / parts);
            futures[p] = POOL.submit(() -> body.run(from, to));
        }
        body.run((int) ((long) n * (parts - 1) / parts), n);
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a matrix operation", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
