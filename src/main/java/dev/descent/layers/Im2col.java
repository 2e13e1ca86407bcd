package dev.descent.layers;

import java.util.Arrays;

/**
 * The two rearrangements that make a convolution a matrix product (Chellapilla, Puri and Simard
 * (2006), "High Performance Convolutional Neural Networks for Document Processing"; Caffe's
 * {@code im2col}): {@link #expand} writes each patch the kernel sees as a column, {@link #fold}
 * adds columns back onto the image they came from, the one's adjoint. With K = C·k·k and
 * P = OH·OW, for one image x: (C, H, W):
 * <pre>
 *   expand   cols[(c·k + ky)·k + kx][oy·OW + ox] = x[c][oy·s − p + ky][ox·s − p + kx]   (0 outside x)
 *   fold     dx[c][iy][ix] = Σ cols[(c·k + ky)·k + kx][oy·OW + ox] over every (ky, kx, oy, ox) that reads it
 * </pre>
 * Row r = (c, ky, kx) of cols is one weight's view of the image, so {@code W (F, K) · cols (K, P)}
 * is the convolution's output (F, P), channels first, and a filter's K weights are stored as
 * PyTorch's {@code weight[f]} is, (C, k, k) flattened. The padding is never written into a
 * padded copy of x: the columns it would fill are zeros in cols, and fold skips them.
 */
final class Im2col {
    private Im2col() {}

    /** The first output column ox whose input column ox·s − p + kx is inside [0, W). */
    static int first(int kx, Conv2d.Geometry g) {
        return Math.min(g.outWidth(), Math.max(0, -Math.floorDiv(kx - g.padding(), g.stride())));
    }

    /** One past the last output column ox whose input column ox·s − p + kx is inside [0, W). */
    static int end(int kx, Conv2d.Geometry g) {
        int e = -Math.floorDiv(-(g.width() + g.padding() - kx), g.stride()); // ceil((W + p − kx) / s)
        return Math.max(first(kx, g), Math.min(g.outWidth(), e));
    }

    /** cols: (C·k·k, OH·OW) from x's image at xOff, (C, H, W). Writes cols[0, K·P). */
    static void expand(double[] x, int xOff, Conv2d.Geometry g, double[] cols) {
        int h = g.height(), w = g.width(), k = g.kernel(), s = g.stride(), p = g.padding();
        int oh = g.outHeight(), ow = g.outWidth(), positions = oh * ow;
        for (int c = 0, row = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++, row++) {
                    int lo = first(kx, g), hi = end(kx, g);
                    for (int oy = 0, o = row * positions; oy < oh; oy++, o += ow) {
                        int iy = oy * s - p + ky;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, o, o + ow, 0.0);
                            continue;
                        }
                        int src = xOff + (c * h + iy) * w - p + kx; // + ox·s
                        Arrays.fill(cols, o, o + lo, 0.0);
                        if (s == 1) {
                            System.arraycopy(x, src + lo, cols, o + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                cols[o + ox] = x[src + ox * s];
                            }
                        }
                        Arrays.fill(cols, o + hi, o + ow, 0.0);
                    }
                }
            }
        }
    }

    /** The float32 twin of {@link #expand(double[], int, Conv2d.Geometry, double[])}. */
    static void expand(float[] x, int xOff, Conv2d.Geometry g, float[] cols) {
        int h = g.height(), w = g.width(), k = g.kernel(), s = g.stride(), p = g.padding();
        int oh = g.outHeight(), ow = g.outWidth(), positions = oh * ow;
        for (int c = 0, row = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++, row++) {
                    int lo = first(kx, g), hi = end(kx, g);
                    for (int oy = 0, o = row * positions; oy < oh; oy++, o += ow) {
                        int iy = oy * s - p + ky;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, o, o + ow, 0f);
                            continue;
                        }
                        int src = xOff + (c * h + iy) * w - p + kx;
                        Arrays.fill(cols, o, o + lo, 0f);
                        if (s == 1) {
                            System.arraycopy(x, src + lo, cols, o + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) {
                                cols[o + ox] = x[src + ox * s];
                            }
                        }
                        Arrays.fill(cols, o + hi, o + ow, 0f);
                    }
                }
            }
        }
    }

    /** dx's image at dxOff, (C, H, W), = the columns added back where {@link #expand} read them. Writes dx's image. */
    static void fold(double[] cols, Conv2d.Geometry g, double[] dx, int dxOff) {
        int h = g.height(), w = g.width(), k = g.kernel(), s = g.stride(), p = g.padding();
        int oh = g.outHeight(), ow = g.outWidth(), positions = oh * ow;
        Arrays.fill(dx, dxOff, dxOff + g.inputSize(), 0.0);
        for (int c = 0, row = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++, row++) {
                    int lo = first(kx, g), hi = end(kx, g);
                    for (int oy = 0, o = row * positions; oy < oh; oy++, o += ow) {
                        int iy = oy * s - p + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = dxOff + (c * h + iy) * w - p + kx;
                        for (int ox = lo; ox < hi; ox++) {
                            dx[dst + ox * s] += cols[o + ox];
                        }
                    }
                }
            }
        }
    }

    /** The float32 twin of {@link #fold(double[], Conv2d.Geometry, double[], int)}. */
    static void fold(float[] cols, Conv2d.Geometry g, float[] dx, int dxOff) {
        int h = g.height(), w = g.width(), k = g.kernel(), s = g.stride(), p = g.padding();
        int oh = g.outHeight(), ow = g.outWidth(), positions = oh * ow;
        Arrays.fill(dx, dxOff, dxOff + g.inputSize(), 0f);
        for (int c = 0, row = 0; c < g.channels(); c++) {
            for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++, row++) {
                    int lo = first(kx, g), hi = end(kx, g);
                    for (int oy = 0, o = row * positions; oy < oh; oy++, o += ow) {
                        int iy = oy * s - p + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int dst = dxOff + (c * h + iy) * w - p + kx;
                        for (int ox = lo; ox < hi; ox++) {
                            dx[dst + ox * s] += cols[o + ox];
                        }
                    }
                }
            }
        }
    }
}
