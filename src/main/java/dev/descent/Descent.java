package dev.descent;

/** Facts about this build of Descent. */
public final class Descent {
    private Descent() {}

    /** The version, as shown by {@code descent --version} and written into model files. */
    public static final String VERSION = "0.1.0";
}
