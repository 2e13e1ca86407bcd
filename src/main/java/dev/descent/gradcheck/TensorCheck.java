package dev.descent.gradcheck;

import java.util.Locale;

/**
 * The comparison of one tensor's backpropagated gradient with its central differences.
 *
 * @param name          the tensor, such as {@code W2} or {@code input}
 * @param rows          its shape
 * @param cols          its shape
 * @param checked       entries compared (all, or an evenly spread subset)
 * @param kinks         entries set aside because x ± h fell on different sides of a kink
 * @param failures      compared entries outside the tolerance
 * @param maxAbsError   max |a − n| over compared entries
 * @param maxRelError   max |a − n| / max(|a|, |n|, atol) over compared entries
 * @param cosine        cosine between the analytic and numerical gradients (1 when both are zero)
 * @param ratio         least-squares factor r with a ≈ r·n (NaN when n is zero)
 * @param factorFits    whether a = ratio · n holds within the tolerance at every compared entry
 * @param worstIndex    flat index of the entry with the largest |a − n|, or -1
 * @param worstAnalytic backprop's value there
 * @param worstNumerical the central difference there
 * @param tolerance     the absolute tolerance this tensor was held to: min(atol, rtol·max|n|), and
 *                      never below the rounding noise of a central difference
 * @param apart         whether the two gradients point apart (cosine below 0.99) while the central
 *                      differences stand clear of the noise: a failure whatever their size
 * @param nearKinks     failing entries whose two one-sided slopes differ as much as the error: a
 *                      point where the loss is not differentiable lies within h of them
 */
public record TensorCheck(String name, int rows, int cols, int checked, int kinks, int failures,
        double maxAbsError, double maxRelError, double cosine, double ratio, boolean factorFits,
        int worstIndex, double worstAnalytic, double worstNumerical, double tolerance, boolean apart,
        int nearKinks) {

    /** Cosines closer than this to ±1 count as "the same direction" or "opposite". */
    static final double COSINE_NEAR_ONE = 0.999;

    public boolean passed() {
        return failures == 0 && !apart;
    }

    public int size() {
        return rows * cols;
    }

    /** Whether the gradient points exactly the wrong way: the sign error of the original thread. */
    public boolean signFlipped() {
        return !passed() && cosine < -COSINE_NEAR_ONE;
    }

    /** Whether backprop is the numerical gradient times a constant other than 1. */
    public boolean constantFactor() {
        return !passed() && cosine > COSINE_NEAR_ONE && factorFits;
    }

    /** The worst entry as {@code W2[3][4]}, or {@code b1[7]} for a one-row tensor. */
    public String worstEntry() {
        if (worstIndex < 0) {
            return name;
        }
        return rows == 1 ? name + "[" + worstIndex + "]" : name + "[" + worstIndex / cols + "][" + worstIndex % cols + "]";
    }

    /** In words, what is wrong with this tensor's gradient, or that it is right. */
    public String diagnosis() {
        if (passed()) {
            return "the gradient of " + name + " matches its central differences";
        }
        return "the gradient of " + name + " " + fault();
    }

    /**
     * What is wrong, after the tensor's name: {@code has the wrong sign (cosine -1.0000 with the
     * central differences)}, {@code is off by a factor of 2.00 ...}, or where it disagrees.
     */
    public String fault() {
        if (signFlipped()) {
            return String.format(Locale.ROOT, "has the wrong sign (cosine %.4f with the central differences)", cosine);
        }
        if (constantFactor()) {
            return String.format(Locale.ROOT, "is off by a factor of %.2f (backprop = %.2f × central differences)",
                    ratio, ratio);
        }
        if (failures == 0) {
            return String.format(Locale.ROOT, "points away from its central differences (cosine %.4f, below %s), "
                    + "although every entry is within %.2g of them", cosine, EntryStats.COSINE_FAIL, tolerance);
        }
        String d = String.format(Locale.ROOT, "disagrees at %d of %d entries; worst at %s: backprop %.6g, central "
                + "differences %.6g (cosine %.4f)", failures, checked, worstEntry(), worstAnalytic, worstNumerical,
                cosine);
        return nearKinks == 0 ? d : d + kinkHint();
    }

    /** Failing entries within h of a point where the loss has a kink: perhaps a layer that does not say where its kinks are. */
    private String kinkHint() {
        String which = nearKinks == failures ? (failures == 1 ? "it sits" : "all of them sit")
                : nearKinks + " of them sit";
        return "; " + which + " within h of a kink, where the two one-sided slopes differ: if a layer is not "
                + "differentiable there (|x| at 0, a max), implement Kinked so that a check sets such entries aside";
    }
}
