package dev.descent.layers;

/** Im2col's package-private kernels, for the benchmarks. */
public final class Conv2dProbe {
    private Conv2dProbe() {}

    public static void expand(float[] x, int xOff, Conv2d.Geometry g, float[] cols) {
        Im2col.expand(x, xOff, g, cols);
    }
}
