package dev.descent.gradcheck;

import java.util.ArrayList;
import java.util.List;

/**
 * The compared entries of one tensor, judged together once all are in, because the tolerance
 * scales with the tensor's own gradient: an entry passes when
 * {@code |a − n| ≤ tol + rtol·|n|}, with {@code tol = max(noise, min(atol, rtol·max|n|))}, so a
 * tensor whose gradients are about 1e-6 is held to about 1e-9, not to an atol of 1e-5 that dwarfs
 * them, and never below the rounding noise of a central difference. The tensor also fails when
 * its two gradients point apart ({@link #COSINE_FAIL}), whatever their size, once its central
 * differences stand clear of that noise.
 */
final class EntryStats {
    /** A tensor whose backprop and central-difference gradients have a cosine below this fails. */
    static final double COSINE_FAIL = 0.99;
    /** The cosine rule applies once the largest central difference is this many times the noise. */
    static final double CLEAR_OF_NOISE = 10;

    private final double rtol, atol, noise;
    private int kinks;
    /** Per compared entry: index, backprop, central difference, jump of the one-sided slopes (NaN: unknown). */
    private final List<double[]> entries = new ArrayList<>();

    /**
     * @param noise the rounding noise of one central difference: below it, two gradients cannot be told apart
     */
    EntryStats(double rtol, double atol, double noise) {
        this.rtol = rtol;
        this.atol = atol;
        this.noise = noise;
    }

    /** An entry set aside: x ± h fell on both sides of a known kink. */
    void kink() {
        kinks++;
    }

    /**
     * @param jump |(L(θ+h) − L(θ)) − (L(θ) − L(θ−h))| / h, the difference of the two one-sided
     *             slopes, or NaN when not measured: about f''·h where L is smooth, about twice
     *             |a − n| where a kink lies within h
     */
    void add(int index, double a, double n, double jump) {
        entries.add(new double[] {index, a, n, jump});
    }

    TensorCheck result(String name, int rows, int cols) {
        double largest = 0;
        for (double[] e : entries) {
            largest = Math.max(largest, Math.abs(e[2]));
        }
        double tol = Math.max(noise, Math.min(atol, rtol * largest));
        int failures = 0, nearKinks = 0, worst = -1;
        double maxAbs = 0, maxRel = 0, dotAN = 0, dotAA = 0, dotNN = 0, worstA = 0, worstN = 0;
        for (double[] e : entries) {
            double a = e[1], n = e[2], diff = Math.abs(a - n);
            if (!(diff <= tol + rtol * Math.abs(n))) {
                failures++;
                nearKinks += e[3] >= diff ? 1 : 0;
            }
            if (diff > maxAbs || worst < 0) {
                maxAbs = diff;
                worst = (int) e[0];
                worstA = a;
                worstN = n;
            }
            maxRel = Math.max(maxRel, diff / Math.max(tol, Math.max(Math.abs(a), Math.abs(n))));
            dotAN += a * n;
            dotAA += a * a;
            dotNN += n * n;
        }
        double cosine = dotAA == 0 && dotNN == 0 ? 1.0
                : dotAA == 0 || dotNN == 0 ? 0.0 : dotAN / Math.sqrt(dotAA * dotNN);
        double ratio = dotNN == 0 ? Double.NaN : dotAN / dotNN;
        boolean fits = !Double.isNaN(ratio);
        for (double[] e : entries) {
            fits &= Math.abs(e[1] - ratio * e[2]) <= tol + rtol * Math.abs(ratio * e[2]);
        }
        boolean apart = largest > CLEAR_OF_NOISE * noise && cosine < COSINE_FAIL;
        return new TensorCheck(name, rows, cols, entries.size(), kinks, failures, maxAbs, maxRel, cosine, ratio, fits,
                worst, worstA, worstN, tol, apart, nearKinks);
    }
}
