package dev.descent.tensor;

import java.util.Locale;

/**
 * The floating-point type a training step computes in.
 *
 * <p>{@link #FLOAT64} is the default and the reference: gradient checks, central differences and
 * the doctor need its 16 digits (a central difference over h = 1e-6 keeps about 10 of them).
 * {@link #FLOAT32} halves the memory traffic and doubles the width of every vector instruction:
 * the fused backprop step takes about half the time, a whole training run somewhat less than
 * that, with the same test accuracy for networks like these (measured in {@code docs/performance.md}).
 */
public enum Dtype {
    FLOAT64, FLOAT32;

    /** The name users type and read: {@code float64}, {@code float32}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code float64} or {@code float32} (case-insensitive). */
    public static Dtype of(String name) {
        for (Dtype d : values()) {
            if (d.label().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "': expected float64 or float32");
    }
}
