package dev.descent.layers;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import java.util.Arrays;
import java.util.List;

/**
 * Average pooling over k×k windows moved by a stride s, channel by channel, as PyTorch's
 * {@code nn.AvgPool2d(k, s)} (the windows must tile the image: {@link PoolWindow}). Shapes: x:
 * (N, C·H·W) -> y: (N, C·OH·OW), no parameters.
 * <pre>
 *   forward    y[c][oy][ox] = (1 / k²) Σ over the window of x[c][oy·s + ky][ox·s + kx]
 *   backward   dx[c][iy][ix] = (1 / k²) Σ dy[c][oy][ox] over the windows that hold (iy, ix)
 * </pre>
 * Linear, so backward needs nothing from forward.
 */
public final class AvgPool2d implements Layer {
    private final PoolWindow win;
    private final ImageShapes shapes;
    private Matrix output, dInput; // reused from batch to batch

    public AvgPool2d(Shape input, int size, int stride) {
        this(PoolWindow.of(input, size, stride));
    }

    public AvgPool2d(PoolWindow window) {
        this.win = window;
        this.shapes = new ImageShapes(describe(), window.input(), window.output());
    }

    /**
     * A pooling of the same window with caches of its own: a network's copy, run between this one's
     * forward and backward (the doctor's probes), must not overwrite what this backward reads.
     */
    @Override
    public AvgPool2d copy() {
        return new AvgPool2d(win);
    }

    public PoolWindow window() {
        return win;
    }

    @Override
    public Matrix forward(Matrix x) {
        shapes.requireBatch(x);
        int n = x.rows(), in = win.inputSize(), out = win.outputSize();
        output = Matrix.reuse(output, n, out);
        double[] X = x.data(), Y = output.data();
        MatrixOps.splitRows(n, (long) n * in, (from, to) -> forward(X, from * in, Y, from * out, to - from, win));
        return output;
    }

    @Override
    public Matrix backward(Matrix dY) {
        return backward(dY, true);
    }

    @Override
    public Matrix backward(Matrix dY, boolean needInputGradient) {
        MatrixOps.requireSameShape(dY, output, "average pooling backward: dY");
        if (!needInputGradient) {
            return null;
        }
        int n = dY.rows(), in = win.inputSize(), out = win.outputSize();
        dInput = Matrix.reuse(dInput, n, in);
        double[] G = dY.data(), dX = dInput.data();
        MatrixOps.splitRows(n, (long) n * in, (from, to) -> backward(G, from * out, dX, from * in, to - from, win));
        return dInput;
    }

    // ---- kernels: forward beside backward, float64 then its float32 twin ---------------------

    /** y = the windows' means for n images: x (n, C·H·W) from xOff, y (n, C·OH·OW) from yOff. */
    public static void forward(double[] x, int xOff, double[] y, int yOff, int n, PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize(), h = w.height(), wd = w.width(), k = w.size(), s = w.stride();
        int oh = w.outHeight(), ow = w.outWidth();
        double scale = 1.0 / (k * k);
        for (int i = 0; i < n; i++) {
            int img = xOff + i * in;
            for (int c = 0, o = yOff + i * out; c < w.channels(); c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        double sum = 0.0;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0, j = img + (c * h + oy * s + ky) * wd + ox * s; kx < k; kx++, j++) {
                                sum += x[j];
                            }
                        }
                        y[o] = sum * scale;
                    }
                }
            }
        }
    }

    /** The float32 twin of {@link #forward(double[], int, double[], int, int, PoolWindow)}. */
    public static void forward(float[] x, int xOff, float[] y, int yOff, int n, PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize(), h = w.height(), wd = w.width(), k = w.size(), s = w.stride();
        int oh = w.outHeight(), ow = w.outWidth();
        float scale = 1f / (k * k);
        for (int i = 0; i < n; i++) {
            int img = xOff + i * in;
            for (int c = 0, o = yOff + i * out; c < w.channels(); c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        float sum = 0f;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0, j = img + (c * h + oy * s + ky) * wd + ox * s; kx < k; kx++, j++) {
                                sum += x[j];
                            }
                        }
                        y[o] = sum * scale;
                    }
                }
            }
        }
    }

    /** dx = each dy spread evenly over its window, for n images: dY (n, C·OH·OW) from dyOff, dx (n, C·H·W) from dxOff, written. */
    public static void backward(double[] dY, int dyOff, double[] dx, int dxOff, int n, PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize(), h = w.height(), wd = w.width(), k = w.size(), s = w.stride();
        int oh = w.outHeight(), ow = w.outWidth();
        double scale = 1.0 / (k * k);
        Arrays.fill(dx, dxOff, dxOff + n * in, 0.0);
        for (int i = 0; i < n; i++) {
            int img = dxOff + i * in;
            for (int c = 0, o = dyOff + i * out; c < w.channels(); c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        double d = dY[o] * scale;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0, j = img + (c * h + oy * s + ky) * wd + ox * s; kx < k; kx++, j++) {
                                dx[j] += d;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The float32 twin of {@link #backward(double[], int, double[], int, int, PoolWindow)}. */
    public static void backward(float[] dY, int dyOff, float[] dx, int dxOff, int n, PoolWindow w) {
        int in = w.inputSize(), out = w.outputSize(), h = w.height(), wd = w.width(), k = w.size(), s = w.stride();
        int oh = w.outHeight(), ow = w.outWidth();
        float scale = 1f / (k * k);
        Arrays.fill(dx, dxOff, dxOff + n * in, 0f);
        for (int i = 0; i < n; i++) {
            int img = dxOff + i * in;
            for (int c = 0, o = dyOff + i * out; c < w.channels(); c++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++, o++) {
                        float d = dY[o] * scale;
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0, j = img + (c * h + oy * s + ky) * wd + ox * s; kx < k; kx++, j++) {
                                dx[j] += d;
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- the layer ----------------------------------------------------------------------------

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
        return "avgpool";
    }

    /** As the layer reads in {@code --layers}: {@code avgpool2}. */
    public String describe() {
        return "avgpool" + win.describe();
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
