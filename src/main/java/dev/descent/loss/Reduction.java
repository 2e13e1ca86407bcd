package dev.descent.loss;

import java.util.Locale;

/** How per-sample losses are combined into one number. */
public enum Reduction {
    /** L = Σ_n ℓ_n, as the original thread computes it; gradients grow with the batch. */
    SUM,
    /** L = (1/N) Σ_n ℓ_n; gradients and a good learning rate do not depend on the batch size. */
    MEAN;

    /** The factor of each sample's gradient in a batch of n: 1 for SUM, 1/n for MEAN. */
    public double scale(int n) {
        return this == SUM ? 1.0 : 1.0 / n;
    }

    /** sum or mean, case-insensitive. */
    public static Reduction parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown reduction '" + s + "': expected sum or mean");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
