package dev.descent.metrics;

import dev.descent.tensor.Matrix;

/** Outputs that overflowed (NaN or infinite) are refused, never reported as if they were results. */
final class Overflows {
    private Overflows() {}

    /**
     * Refuses outputs that overflowed (NaN or infinite), which would be reported as if they were
     * results: {@code row 12: the model's outputs overflow ...}, the row counted from 1 in the data.
     */
    static void refuse(Matrix outputs, int from) {
        double[] d = outputs.data();
        int k = outputs.cols();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new IllegalArgumentException("row " + (from + i / k + 1) + ": the model's outputs overflow (they "
                        + "are not finite numbers) for this input; its features are far outside what the model can take");
            }
        }
    }

}
