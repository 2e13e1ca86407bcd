package dev.descent.weights;

import dev.descent.io.Heap;
import dev.descent.modelfile.ModelFile;

/** The bounds every weights reader holds a file to, the model file's where they mean the same. */
final class Limits {
    private Limits() {}

    /** The whole file, as for a model file. */
    static final long MAX_FILE_BYTES = 4L << 30;

    /** Values in all the tensors of a file: a network's largest parameter count. */
    static final long MAX_VALUES = ModelFile.MAX_PARAMETERS;

    /** Tensors (or archive entries) in one file. */
    static final int MAX_TENSORS = 10_000;

    /** Characters of a tensor's name. */
    static final int MAX_NAME = 1024;

    /** Dimensions of a tensor: Descent's parameters have one or two; a file may declare a few more, to be refused by name. */
    static final int MAX_RANK = 8;

    /** The values of {@code shape}, or -1 when a dimension is negative or the product passes {@link #MAX_VALUES}. */
    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || d > MAX_VALUES) {
                return -1;
            }
            n *= d;
            if (n > MAX_VALUES) {
                return -1;
            }
        }
        return n;
    }

    /** Refuses to read {@code count} values when the heap cannot hold them as doubles beside their bytes. */
    static void requireHeap(String where, long count, int itemSize) throws WeightsFileException {
        long needed = count * (8L + itemSize);
        long free = Heap.available();
        if (needed > free) {
            throw new WeightsFileException(where + ": reading it needs about " + Heap.megabytes(needed)
                    + " of memory but the Java heap has " + Heap.megabytes(free) + " free");
        }
    }
}
