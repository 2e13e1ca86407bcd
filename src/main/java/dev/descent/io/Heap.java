package dev.descent.io;

import java.util.Locale;

/**
 * How much memory is left for what is about to be allocated, so that a size too large for the heap
 * is refused with the figure before anything is built, never found as an OutOfMemoryError.
 */
public final class Heap {
    private Heap() {}

    /** Bytes the heap can still give: its maximum less what is in use now. */
    public static long available() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** {@code 1,234 MB}: bytes in whole megabytes (2^20), rounded up. */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", (bytes + (1 << 20) - 1) >> 20);
    }
}
