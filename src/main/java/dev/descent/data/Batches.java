package dev.descent.data;

import dev.descent.tensor.Matrix;

/** Walks the rows of {@link Features} in order, a batch at a time, reusing the batch matrix. */
public final class Batches {
    private Batches() {}

    /** Receives one batch: rows {@code from} .. {@code from + x.rows() - 1} of the features. */
    @FunctionalInterface
    public interface Consumer {
        void accept(int from, Matrix x);
    }

    /** Calls {@code consumer} for consecutive batches of at most {@code size} rows. */
    public static void inOrder(Features features, int size, Consumer consumer) {
        int n = features.rows();
        if (n == 0) {
            return;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Matrix x = new Matrix(Math.min(size, n), features.cols());
        for (int from = 0; from < n; from += size) {
            int count = Math.min(size, n - from);
            if (count < x.rows()) {
                x = new Matrix(count, features.cols());
            }
            features.gather(order, from, count, x);
            consumer.accept(from, x);
        }
    }
}
