package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyRowRunsOnceInItsOwnBlock() {
        for (int parts = 1; parts <= Parallel.THREADS + 1; parts++) {
            for (int n : new int[] {0, 1, 7, 1000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                int[] partOf = new int[n];
                int p = parts;
                Parallel.parts(n, parts, (part, from, to) -> {
                    assertEquals(Parallel.start(n, part, p), from);
                    assertEquals(Parallel.start(n, part + 1, p), to);
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                        partOf[i] = part;
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, seen.get(i), "row " + i + " of " + n + " in " + parts + " parts");
                    assertTrue(Parallel.start(n, partOf[i], p) <= i && i < Parallel.start(n, partOf[i] + 1, p),
                            "row " + i + " in block " + partOf[i]);
                }
            }
        }
    }

    /** Thousands of loops back to back, their number of blocks changing: each runs every block exactly once. */
    @Test
    void loopsInQuickSuccessionNeverMixTheirBlocks() {
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        long expected = 0;
        for (int loop = 0; loop < 20_000; loop++) {
            int parts = 2 + loop % Math.max(1, Parallel.THREADS - 1), n = 1 + loop % 97;
            Parallel.parts(n, Math.min(parts, Parallel.THREADS), (part, from, to) -> total.addAndGet(to - from));
            expected += n;
        }
        assertEquals(expected, total.get());
    }

    /**
     * A block that arrives long after the others (here it sleeps, as a block does whose core the
     * system gave to another thread) is waited for, past the spinning and into the naps, and what
     * it wrote is there when the loop returns.
     */
    @Test
    void aLateBlockIsWaitedForPastTheSpinning() throws Exception {
        long late = 10 * Parallel.NAP_AFTER_NANOS;
        for (int lateOne = 0; lateOne < Parallel.THREADS; lateOne++) {
            int[] done = new int[Parallel.THREADS];
            int l = lateOne;
            long t0 = System.nanoTime();
            Parallel.parts(Parallel.THREADS, Parallel.THREADS, (part, from, to) -> {
                if (part == l) {
                    java.util.concurrent.locks.LockSupport.parkNanos(late);
                    while (System.nanoTime() - t0 < late) {
                        Thread.onSpinWait();
                    }
                }
                done[part] = to - from;
            });
            for (int p = 0; p < done.length; p++) {
                assertEquals(1, done[p], "block " + p + " with block " + lateOne + " late");
            }
            assertTrue(System.nanoTime() - t0 >= late);
        }
    }

    @Test
    void aFailureInAnyBlockReachesTheCaller() {
        for (int failing = 0; failing < Parallel.THREADS; failing++) {
            int f = failing;
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.parts(100, Parallel.THREADS,
                    (part, from, to) -> {
                        if (part == f) {
                            throw new IllegalStateException("block " + part);
                        }
                    }));
            assertEquals("block " + failing, e.getMessage());
        }
        // and the workers are still there for the next loop
        int[] sum = new int[1];
        Parallel.parts(10, 1, (part, from, to) -> sum[0] += to - from);
        assertEquals(10, sum[0]);
    }

    @Test
    void aSplitInsideASplitRunsInPlaceInsteadOfWaiting() {
        double[] out = new double[64];
        Parallel.parts(4, Parallel.THREADS, (part, from, to) -> {
            for (int i = from; i < to; i++) {
                int base = i * 16;
                Parallel.rows(16, Long.MAX_VALUE, (lo, hi) -> { // from a worker, and from the caller's own block
                    for (int j = lo; j < hi; j++) {
                        out[base + j] = base + j;
                    }
                });
            }
        });
        double[] expected = new double[64];
        for (int i = 0; i < 64; i++) {
            expected[i] = i;
        }
        assertArrayEquals(expected, out);
    }

    @Test
    void blocksRunAtOnceOnlyOutsideAnotherLoopsBlock() {
        assertEquals(Parallel.THREADS >= 2, Parallel.concurrent(2));
        assertFalse(Parallel.concurrent(Parallel.THREADS + 1));
        boolean[] inside = new boolean[Math.max(2, Parallel.THREADS)];
        java.util.Arrays.fill(inside, true);
        Parallel.parts(Parallel.THREADS, Parallel.THREADS, (part, from, to) -> inside[part] = Parallel.concurrent(2));
        for (boolean b : inside) {
            assertFalse(b, "from a worker and from the caller's own block, nested blocks run one after the other");
        }
    }
}
