package dev.descent.loss;

import dev.descent.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scalar loss of a network's output against integer class labels, and its gradient.
 *
 * <p>{@link #forward} takes the network's output z: (N, k) and labels y: (N) and returns L,
 * remembering what {@link #backward} needs; backward returns dL/dz: (N, k) for that call. A loss
 * may return the same buffer from one call to the next, so dL/dz is valid until its next forward.
 * Implement it for a loss of your own and check it with {@code dev.descent.gradcheck}.
 *
 * <p>The targets are class labels, {@code int[]}. A loss over real-valued targets (regression)
 * comes in beside this one, not in place of it: its forward takes the targets as a matrix
 * (N, t), and its row kernel reads the targets of rows [labelOff, labelOff + n) from that
 * matrix; the schedules, which only pass a batch's targets through to the loss by row offset, do
 * not change (docs/architecture.md).
 */
public interface Loss {
    double forward(Matrix output, int[] labels);

    Matrix backward();

    /**
     * Whether the outputs are class scores whose largest entry is the prediction, so that accuracy
     * means something; false for a regression loss, whose "labels" are rows of its targets.
     */
    default boolean classifies() {
        return true;
    }

    /** How per-sample losses are combined. */
    Reduction reduction();

    /** One line for headers: what is minimised and how samples combine. */
    default String describe() {
        return toString();
    }

    /**
     * How a model file records this loss: at least {@code reduction}; a regression loss adds
     * {@code task} and {@code loss}, and any constant of its own.
     */
    default Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("reduction", reduction().toString());
        return p;
    }

    /**
     * Whether this loss has the row kernels {@link #rows(double[], int, int, int, int[], int, double,
     * double[], double[])} and its float32 twin, which schedules that run a batch in blocks of
     * rows (the fused training step) need. A loss without them trains on the reference schedule.
     */
    default boolean hasRowKernels() {
        return false;
    }

    /**
     * Σ_r ℓ_r over rows [0, n) of the output z (n, k) from {@code off}, against the targets of
     * rows labelOff + r, writing {@code scale · dℓ_r/dz_r} into g at the same offsets; scale is
     * {@link Reduction#scale}. {@code scratch} holds k doubles for the kernel's own use.
     */
    default double rows(double[] z, int off, int n, int k, int[] labels, int labelOff, double scale, double[] g,
                        double[] scratch) {
        throw new UnsupportedOperationException(this + " has no row kernels");
    }

    /** The float32 twin of {@link #rows(double[], int, int, int, int[], int, double, double[], double[])}. */
    default double rows(float[] z, int off, int n, int k, int[] labels, int labelOff, double scale, float[] g,
                        double[] scratch) {
        throw new UnsupportedOperationException(this + " has no row kernels");
    }
}
