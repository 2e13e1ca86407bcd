package dev.descent.loss;

import dev.descent.tensor.Matrix;

/**
 * A scalar loss of a network's output against integer class labels, and its gradient.
 *
 * <p>{@link #forward} takes the network's output z: (N, k) and labels y: (N) and returns L,
 * remembering what {@link #backward} needs; backward returns dL/dz: (N, k) for that call.
 * Implement it for a loss of your own and check it with {@code dev.descent.gradient}.
 */
public interface Loss {
    double forward(Matrix output, int[] labels);

    Matrix backward();

    /** How per-sample losses are combined. */
    Reduction reduction();
}
