package dev.descent.layers;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Max pooling over k×k windows moved by a stride s, channel by channel, as PyTorch's
 * {@code nn.MaxPool2d(k, s)} (the windows must tile the image: {@link PoolWindow}). Shapes: x:
 * (N, C·H·W) -> y: (N, C·OH·OW), no parameters.
 * <pre>
 *   forward    y[c][oy][ox] = max over the window of x[c][oy·s + ky][ox·s + kx]
 *              a[c][oy][ox] = where that maximum is in x (the first, on ties; a NaN wins, so it propagates)
 *   backward   dx[a[j]] += dy[j] for every output j; every other entry of dx is 0
 * </pre>
 * The gradient goes to the maximum alone: the other inputs of a window do not change y when moved
 * a little. Forward caches the positions of the maxima a (one int per output), which backward
 * reads. Where two inputs tie, y is not differentiable; the first takes the gradient, as in PyTorch.
 */
public final class MaxPool2d implements Layer, Kinked {
    private final PoolWindow win;
    private final ImageShapes shapes;
    private int[] argmax = new int[0]; // cached by forward: (N, C·OH·OW), each an index into its image
    private int rows;
    private Matrix output, dInput; // reused from batch to batch

    public MaxPool2d(Shape input, int size, int stride) {
        this(PoolWindow.of(input, size, stride));
    }

    public MaxPool2d(PoolWindow window) {
        this.win = window;
        this.shapes = new ImageShapes(describe(), window.input(), window.output());
    }

    /**
     * A pooling of the same window with caches of its own: a network's copy, run between this one's
     * forward and backward (the doctor's probes), must not overwrite what this backward reads.
     */
    @Override
    public MaxPool2d copy() {
        return new MaxPool2d(win);
    }

    public PoolWindow window() {
        return win;
    }

    @Override
    public Matrix forward(Matrix x) {
        shapes.requireBatch(x);
        int n = x.rows(), in = win.inputSize(), out = win.outputSize();
        output = Matrix.reuse(output, n, out);
        if (argmax.length < n * out) {
            argmax = new int[n * out];
        }
        rows = n;
        double[] X = x.data(), Y = output.data();
        int[] a = argmax;
        MatrixOps.splitRows(n, (long) n * in, (from, to) -> forward(X, from * in, Y, from * out, a, from * out,
                to - from, win));
        return output;
    }

    @Override
    public Matrix backward(Matrix dY) {
        return backward(dY, true);
    }

    @Override
    public Matrix backward(Matrix dY, boolean needInputGradient) {
        MatrixOps.requireSameShape(dY, output, "max pooling backward: dY");
        if (!needInputGradient) {
            return null;
        }
        int n = dY.rows(), in = win.inputSize(), out = win.outputSize();
        dInput = Matrix.reuse(dInput, n, in);
        double[] G = dY.data(), dX = dInput.data();
        int[] a = argmax;
        MatrixOps.splitRows(n, (long) n * in, (from, to) -> backward(G, from * out, a, from * out, dX, from * in,
                to - from, win));
        return dInput;
    }

    // ---- kernels: forward beside backward, float64 then its float32 twin ---------------------

    /**
     * A whole number that orders as {@code v} does, for comparing without branches: the bits of
     * v with the negative ones' magnitude bits flipped, -0 as +0, and every NaN above +∞. A
     * window takes its first largest value, and any NaN after it, as PyTorch's kernel does
     * ({@code val > maxval || isnan(val)}): a window with a NaN gives NaN.
     */
    static long key(double v) {
        long b = Double.doubleToRawLongBits(v + 0.0); // -0 + 0 = +0
        b ^= (b >> 63) & Long.MAX_VALUE;
        return v != v ? Long.MAX_VALUE : b; // a branch taken only by a NaN: predicted
    }

    /** The float32 twin of {@link #key(double)}. */
    static int key(float v) {
        int b = Float.floatToRawIntBits(v + 0.0f);
        b ^= (b >> 31) & Integer.MAX_VALUE;
        return v != v ? Integer.MAX_VALUE : b;
    }

    /**
     * y = the windows' maxima for n images, x (n, C·H·W) from xOff, y (n, C·OH·OW) from yOff; a
     * (n, C·OH·OW) from aOff gets where each maximum is, as an index into its image.
     */
    public static void forward(double[] x, int xOff, double[] y, int yOff, int[] a, int aOff, int n, PoolWindow w) {
        if (w.size() == 2 && w.stride() == 2) {
            forward2x2(x, xOff, y, yOff, a, aOff, n, w);
            return;
        }
        int in = w.inputSize(), out = w.outputSize(), h = w.height(), wd = w.width(), k = w.size(), s = w.stride();
        int oh = w.outHeight(), ow = w.outWidth();
        for (int i = 0; i < n; i++) {
            int img = xOff + i * in;
            for (int c = 0, o = 0; c < w.channels(); c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int at = (c * h + oy * s) * wd + ox * s;
                        long best = key(x[img + at]);
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0, j = (c * h + oy * s + ky) * wd + ox * s; kx < k; kx++, j++) {
                                long v = key(x[img + j]), d = best - v, nan = v ^ Long.MAX_VALUE;
                                long take = (d ^ ((best ^ v) & (d ^ best))) >> 63 // all ones where best < v,
                                        | ~((nan | -nan) >> 63); // or where v is a NaN (PyTorch's rule)
                                best ^= (best ^ v) & take; // masks, not branches: a window's maximum is unpredictable
                                at ^= (at ^ j) & (int) take;
                            }
                        }
                        y[yOff + i * out + o] = x[img + at];
                        a[aOff + i * out + o] = at;
                    }
                }
            }
        }
    }

    /** The float32 twin of {@link #forward(double[], int, double[], int, int[], int, int, PoolWindow)}. */
    public static void forward(float[] x, int xOff, float[] y, int yOff, int[] a, int aOff, int n, PoolWindow w) {
        if (w.size() == 2 && w.stride() == 2) {
            forward2x2(x, xOff, y, yOff, a, aOff, n, w);
            return;
        }
        int in = w.inputSize(), out = w.outputSize(), h = w.height(), wd = w.width(), k = w.size(), s = w.stride();
        int oh = w.outHeight(), ow = w.outWidth();
        for (int i = 0; i < n; i++) {
            int img = xOff + i * in;
            for (int c = 0, o = 0; c < w.channels(); c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        int at = (c * h + oy * s) * wd + ox * s;
                        int best = key(x[img + at]);
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0, j = (c * h + oy * s + ky) * wd + ox * s; kx < k; kx++, j++) {
                                int v = key(x[img + j]), nan = v ^ Integer.MAX_VALUE;
                                int take = (int) (((long) best - v) >> 63) // all ones where best < v,
                                        | ~((nan | -nan) >> 31); // or where v is a NaN (PyTorch's rule)
                                best ^= (best ^ v) & take; // masks, not branches: a window's maximum is unpredictable
                                at ^= (at ^ j) & take;
                            }
                        }
                        y[yOff + i * out + o] = x[img + at];
                        a[aOff + i * out + o] = at;
                    }
                }
            }
        }
    }

    /**
     * {@link #forward(double[], int, double[], int, int[], int, int, PoolWindow)} for 2×2 windows
     * at stride 2, the pooling of nearly every network: the four values of a window compared in
     * line, the same choices (a test holds the two to each other).
     */
    private static void forward2x2(double[] x, int xOff, double[] y, int yOff, int[] a, int aOff, int n, PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize(), wd = w.width(), rows = w.channels() * w.outHeight(), ow = w.outWidth();
        for (int i = 0; i < n; i++) {
            int img = xOff + i * in, o = i * out;
            for (int r = 0; r < rows; r++) { // window row r: image rows 2r and 2r + 1, channels stacked (H = 2·OH)
                for (int ox = 0, j = 2 * r * wd; ox < ow; ox++, o++, j += 2) {
                    long best = key(x[img + j]);
                    int at = j;
                    for (int q = 1; q < 4; q++) {
                        int jq = j + (q & 1) + (q >> 1) * wd;
                        long v = key(x[img + jq]), d = best - v, nan = v ^ Long.MAX_VALUE;
                        long take = (d ^ ((best ^ v) & (d ^ best))) >> 63 | ~((nan | -nan) >> 63);
                        best ^= (best ^ v) & take;
                        at ^= (at ^ jq) & (int) take;
                    }
                    y[yOff + o] = x[img + at];
                    a[aOff + o] = at;
                }
            }
        }
    }

    /** The float32 twin of {@link #forward2x2(double[], int, double[], int, int[], int, int, PoolWindow)}. */
    private static void forward2x2(float[] x, int xOff, float[] y, int yOff, int[] a, int aOff, int n, PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize(), wd = w.width(), rows = w.channels() * w.outHeight(), ow = w.outWidth();
        for (int i = 0; i < n; i++) {
            int img = xOff + i * in, o = i * out;
            for (int r = 0; r < rows; r++) {
                for (int ox = 0, j = 2 * r * wd; ox < ow; ox++, o++, j += 2) {
                    int best = key(x[img + j]);
                    int at = j;
                    for (int q = 1; q < 4; q++) {
                        int jq = j + (q & 1) + (q >> 1) * wd;
                        int v = key(x[img + jq]), nan = v ^ Integer.MAX_VALUE;
                        int take = (int) (((long) best - v) >> 63) | ~((nan | -nan) >> 31);
                        best ^= (best ^ v) & take;
                        at ^= (at ^ jq) & take;
                    }
                    y[yOff + o] = x[img + at];
                    a[aOff + o] = at;
                }
            }
        }
    }

    /**
     * dx = dy sent to where each maximum was, for n images: dY (n, C·OH·OW) from dyOff, a from
     * aOff as forward left it, dx (n, C·H·W) from dxOff, written.
     */
    public static void backward(double[] dY, int dyOff, int[] a, int aOff, double[] dx, int dxOff, int n,
                                PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize();
        Arrays.fill(dx, dxOff, dxOff + n * in, 0.0);
        for (int i = 0; i < n; i++) {
            int img = dxOff + i * in;
            for (int o = 0; o < out; o++) {
                dx[img + a[aOff + i * out + o]] += dY[dyOff + i * out + o];
            }
        }
    }

    /** The float32 twin of {@link #backward(double[], int, int[], int, double[], int, int, PoolWindow)}. */
    public static void backward(float[] dY, int dyOff, int[] a, int aOff, float[] dx, int dxOff, int n,
                                PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize();
        Arrays.fill(dx, dxOff, dxOff + n * in, 0f);
        for (int i = 0; i < n; i++) {
            int img = dxOff + i * in;
            for (int o = 0; o < out; o++) {
                dx[img + a[aOff + i * out + o]] += dY[dyOff + i * out + o];
            }
        }
    }

    // ---- the layer ----------------------------------------------------------------------------

    /** Where the maxima of the last forward pass were: a perturbation that moves one crosses a kink. */
    @Override
    public Object lastRegion() {
        return IntBuffer.wrap(Arrays.copyOf(argmax, rows * win.outputSize()));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public int outputSize(int inputSize) {
        return shapes.outputSize(inputSize);
    }

    @Override
    public Shape outputShape(Shape in) {
        return shapes.outputShape(in);
    }

    @Override
    public String kind() {
        return "maxpool";
    }

    /** As the layer reads in {@code --layers}: {@code pool2}, {@code pool3s2}. */
    public String describe() {
        return "pool" + win.describe();
    }

    @Override
    public String describeInNetwork() {
        return "-> " + describe();
    }

    @Override
    public String toString() {
        return describe() + " " + win.input() + "->" + win.output();
    }
}
