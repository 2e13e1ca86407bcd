package dev.descent.layers;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.tensor.Parallel;
import dev.descent.tensor.Products;
import dev.descent.tensor.ShapeException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A 2-D convolution with F filters of k×k, stride s and zero padding p, and a bias per filter,
 * as PyTorch's {@code nn.Conv2d(C, F, k, stride=s, padding=p)} computes it: a cross-correlation,
 * the kernel not flipped (LeCun, Bottou, Bengio and Haffner (1998), "Gradient-Based Learning
 * Applied to Document Recognition").
 * <pre>
 *   y[f][oy][ox] = b[f] + Σ_c Σ_ky Σ_kx W[f][c][ky][kx] · x[c][oy·s − p + ky][ox·s − p + kx]   (x = 0 outside)
 *   OH = (H + 2p − k) / s + 1, rounded down, and OW likewise
 * </pre>
 * Shapes, with N images a batch, K = C·k·k and P = OH·OW: x: (N, C·H·W)  W: (F, K)  b: (1, F)
 * -> y: (N, F·P), each row an image channels first ({@link Shape}). A filter's row of W holds its
 * C·k·k weights as PyTorch's {@code weight[f]} does, (C, k, k) flattened.
 *
 * <p>Each image is a matrix product over its columns ({@link Im2col}: cols_i (K, P), the patch
 * each output position sees); backward, with dY_i = dL/dy_i: (F, P):
 * <pre>
 *   forward   y_i  = W · cols_i + b            (F, P)
 *   dW       += Σ_i dY_i · cols_iᵀ             (F, K)   the columns recomputed from x
 *   db       += Σ_i Σ_p dY_i[:, p]             (F)
 *   dx_i      = fold(Wᵀ · dY_i)                (C, H, W) the columns added back where they were read
 * </pre>
 * Forward caches x. The weight gradient is summed in fixed groups of images
 * ({@link #groups(int)}), each a partial sum, then the partials in order: so the groups can run on
 * any core, and the numbers depend on the batch, not on how many cores there are.
 *
 * <p>As {@link Dense}, the maths is written once, as the static kernels below, in float64 and,
 * beside each, float32; {@link #forward(Matrix)} and {@link #backward(Matrix, boolean)} run them
 * on the whole batch, the fused training step on each core's images.
 */
public final class Conv2d implements Layer {
    /**
     * The sizes of one convolution, checked: the kernel must fit the padded image.
     *
     * @param channels C of the input   @param height H   @param width W
     * @param filters  F, the output's channels
     */
    public record Geometry(int channels, int height, int width, int filters, int kernel, int stride, int padding) {
        public Geometry {
            if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
                throw new IllegalArgumentException("a convolution needs at least 1 filter, a kernel and a stride of at "
                        + "least 1 and a padding of 0 or more, got " + filters + " filters, kernel " + kernel
                        + ", stride " + stride + ", padding " + padding);
            }
            new Shape(channels, height, width); // checks the input
            if (kernel > height + 2 * padding || kernel > width + 2 * padding) {
                throw new ShapeException(String.format(Locale.ROOT, "its %dx%d kernel is larger than the %dx%d image "
                        + "padded by %d to %dx%d", kernel, kernel, height, width, padding, height + 2 * padding,
                        width + 2 * padding));
            }
            if ((long) filters * kernel * kernel * channels > Integer.MAX_VALUE - 8
                    || (long) filters * ((height + 2L * padding - kernel) / stride + 1)
                            * ((width + 2L * padding - kernel) / stride + 1) > Integer.MAX_VALUE - 8) {
                throw new ShapeException("a convolution of " + filters + " filters of " + kernel + "x" + kernel
                        + " on " + channels + "x" + height + "x" + width + " is too large");
            }
        }

        /** For an input of {@code in}. */
        public static Geometry of(Shape in, int filters, int kernel, int stride, int padding) {
            return new Geometry(in.channels(), in.height(), in.width(), filters, kernel, stride, padding);
        }

        public int outHeight() {
            return (height + 2 * padding - kernel) / stride + 1;
        }

        public int outWidth() {
            return (width + 2 * padding - kernel) / stride + 1;
        }

        public Shape input() {
            return new Shape(channels, height, width);
        }

        public Shape output() {
            return new Shape(filters, outHeight(), outWidth());
        }

        /** C·H·W. */
        public int inputSize() {
            return channels * height * width;
        }

        /** F·OH·OW. */
        public int outputSize() {
            return filters * positions();
        }

        /** K = C·k·k: the weights of one filter, the rows of the columns. */
        public int patch() {
            return channels * kernel * kernel;
        }

        /** P = OH·OW: the output positions of one filter, the columns. */
        public int positions() {
            return outHeight() * outWidth();
        }
    }

    /** Images per group of the weight gradient, at least: a product per image is worth a group of its own only so far. */
    static final int GROUP_IMAGES = 8;
    /** Groups of the weight gradient, at most: each holds a partial dW. */
    public static final int MAX_GROUPS = 16;

    private final Geometry g;
    private final ImageShapes shapes;
    private final Parameter weights;
    private final Parameter bias;
    private Matrix input; // cached by forward: (N, C·H·W)
    private Matrix output, dInput; // reused from batch to batch
    private double[] partials = new double[0]; // the groups' partial dW, (groups, F·K)

    /** A convolution whose weights and biases are all zero; an initializer fills them. */
    public Conv2d(Shape input, int filters, int kernel, int stride, int padding) {
        this(Geometry.of(input, filters, kernel, stride, padding), null, null);
    }

    /**
     * A convolution over the given weights (F, C·k·k) and bias (1, F); the matrices are used, not
     * copied. Null for zeros.
     */
    public Conv2d(Geometry geometry, Matrix weights, Matrix bias) {
        this.g = geometry;
        this.shapes = new ImageShapes(describe(), g.input(), g.output());
        Matrix w = weights != null ? weights : new Matrix(g.filters(), g.patch());
        Matrix b = bias != null ? bias : new Matrix(1, g.filters());
        if (w.rows() != g.filters() || w.cols() != g.patch()) {
            throw new ShapeException("convolution weights must be " + g.filters() + "x" + g.patch() + " (filters x "
                    + "channels·k·k), got " + w.shape());
        }
        if (b.rows() != 1 || b.cols() != g.filters()) {
            throw new ShapeException("convolution bias must be 1x" + g.filters() + ", got " + b.shape());
        }
        this.weights = new Parameter("W", w);
        this.bias = new Parameter("b", b);
    }

    /** A convolution holding copies of this one's weights and bias. */
    @Override
    public Conv2d copy() {
        return new Conv2d(g, weights.value().copy(), bias.value().copy());
    }

    public Geometry geometry() {
        return g;
    }

    public Parameter weights() {
        return weights;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Matrix forward(Matrix x) {
        shapes.requireBatch(x);
        input = x;
        output = Matrix.reuse(output, x.rows(), g.outputSize());
        double[] X = x.data(), W = weights.value().data(), b = bias.value().data(), Y = output.data();
        int in = g.inputSize(), out = g.outputSize();
        MatrixOps.splitRows(x.rows(), work(x.rows()), (from, to) -> forward(X, from * in, W, b, Y, from * out, to - from,
                g, new double[g.patch() * g.positions()]));
        return output;
    }

    @Override
    public Matrix backward(Matrix dY) {
        return backward(dY, true);
    }

    @Override
    public Matrix backward(Matrix dY, boolean needInputGradient) {
        MatrixOps.requireSameShape(dY, output, "convolution backward: dY");
        int n = dY.rows(), in = g.inputSize(), out = g.outputSize(), size = g.filters() * g.patch();
        double[] X = input.data(), G = dY.data(), W = weights.value().data();
        int groups = groups(n);
        if (partials.length < groups * size) {
            partials = new double[groups * size];
        }
        double[] parts = partials;
        Parallel.rows(groups, work(n), (g0, g1) -> {
            double[] cols = new double[g.patch() * g.positions()];
            for (int k = g0; k < g1; k++) {
                int from = Parallel.start(n, k, groups), to = Parallel.start(n, k + 1, groups);
                weightGradient(X, from * in, G, from * out, parts, k * size, to - from, g, cols);
            }
        });
        sumPartials(parts, groups, size, weights.grad().data(), 0, size, true);
        biasGradient(G, 0, bias.grad().data(), 0, g.filters(), n, g, true);
        if (!needInputGradient) {
            return null;
        }
        dInput = Matrix.reuse(dInput, n, in);
        double[] dX = dInput.data();
        MatrixOps.splitRows(n, work(n), (from, to) -> inputGradient(G, from * out, W, dX, from * in, to - from, g,
                new double[g.patch() * g.positions()]));
        return dInput;
    }

    /** Multiply-adds of one pass over n images. */
    private long work(int n) {
        return (long) n * g.filters() * g.patch() * g.positions();
    }

    /**
     * How many groups the weight gradient of a batch of n images is summed in: about
     * {@link #GROUP_IMAGES} images each, at most {@link #MAX_GROUPS}; group k holds images
     * [{@code Parallel.start(n, k, groups)}, {@code Parallel.start(n, k + 1, groups)}).
     */
    public static int groups(int n) {
        return Math.max(1, Math.min(MAX_GROUPS, (n + GROUP_IMAGES - 1) / GROUP_IMAGES));
    }

    // ---- kernels: forward, then the gradients; float64, then its float32 twin --------------------

    /**
     * y_i = W · cols_i + b for n images: x (n, C·H·W) from xOff, W (F, K), b (F), y (n, F·P) from
     * yOff; cols: (K, P) of scratch. Each row of y_i is preset to its bias and the product added
     * onto it (β = 1), as {@link Dense#forward} does.
     */
    public static void forward(double[] x, int xOff, double[] w, double[] b, double[] y, int yOff, int n, Geometry g,
                               double[] cols) {
        int in = g.inputSize(), out = g.outputSize(), f = g.filters(), k = g.patch(), p = g.positions();
        for (int i = 0; i < n; i++) {
            Im2col.expand(x, xOff + i * in, g, cols);
            int yi = yOff + i * out;
            for (int j = 0; j < f; j++) {
                Arrays.fill(y, yi + j * p, yi + (j + 1) * p, b[j]);
            }
            Products.matmul(w, 0, cols, y, yi, f, k, p, true);
        }
    }

    /** The float32 twin of {@link #forward(double[], int, double[], double[], double[], int, int, Geometry, double[])}. */
    public static void forward(float[] x, int xOff, float[] w, float[] b, float[] y, int yOff, int n, Geometry g,
                               float[] cols) {
        int in = g.inputSize(), out = g.outputSize(), f = g.filters(), k = g.patch(), p = g.positions();
        for (int i = 0; i < n; i++) {
            Im2col.expand(x, xOff + i * in, g, cols);
            int yi = yOff + i * out;
            for (int j = 0; j < f; j++) {
                Arrays.fill(y, yi + j * p, yi + (j + 1) * p, b[j]);
            }
            Products.matmul(w, 0, cols, y, yi, f, k, p, true);
        }
    }

    /**
     * One group's partial weight gradient, {@code dW = Σ_i dY_i · cols_iᵀ} over n images, written
     * (not added) to dW (F, K) from dwOff: x (n, C·H·W) from xOff, dY (n, F·P) from dyOff; cols:
     * (K, P) of scratch.
     */
    public static void weightGradient(double[] x, int xOff, double[] dY, int dyOff, double[] dW, int dwOff, int n,
                                      Geometry g, double[] cols) {
        int in = g.inputSize(), out = g.outputSize(), f = g.filters(), k = g.patch(), p = g.positions();
        if (n == 0) {
            Arrays.fill(dW, dwOff, dwOff + f * k, 0.0);
        }
        for (int i = 0; i < n; i++) {
            Im2col.expand(x, xOff + i * in, g, cols);
            Products.matmulTransB(dY, dyOff + i * out, cols, 0, dW, dwOff, f, p, k, i > 0);
        }
    }

    /** The float32 twin of {@link #weightGradient(double[], int, double[], int, double[], int, int, Geometry, double[])}. */
    public static void weightGradient(float[] x, int xOff, float[] dY, int dyOff, float[] dW, int dwOff, int n,
                                      Geometry g, float[] cols) {
        int in = g.inputSize(), out = g.outputSize(), f = g.filters(), k = g.patch(), p = g.positions();
        if (n == 0) {
            Arrays.fill(dW, dwOff, dwOff + f * k, 0f);
        }
        for (int i = 0; i < n; i++) {
            Im2col.expand(x, xOff + i * in, g, cols);
            Products.matmulTransB(dY, dyOff + i * out, cols, 0, dW, dwOff, f, p, k, i > 0);
        }
    }

    /**
     * Entries [from, to) of dW (size values in all) = the groups' partials summed in group order:
     * {@code dW[j] = Σ_k partials[k·size + j]}, added to dW when {@code accumulate}.
     */
    public static void sumPartials(double[] partials, int groups, int size, double[] dW, int from, int to,
                                   boolean accumulate) {
        for (int j = from; j < to; j++) {
            double s = accumulate ? dW[j] : 0.0;
            double sum = partials[j];
            for (int k = 1; k < groups; k++) {
                sum += partials[k * size + j];
            }
            dW[j] = s + sum;
        }
    }

    /** The float32 twin of {@link #sumPartials(double[], int, int, double[], int, int, boolean)}. */
    public static void sumPartials(float[] partials, int groups, int size, float[] dW, int from, int to,
                                   boolean accumulate) {
        for (int j = from; j < to; j++) {
            float s = accumulate ? dW[j] : 0f;
            float sum = partials[j];
            for (int k = 1; k < groups; k++) {
                sum += partials[k * size + j];
            }
            dW[j] = s + sum;
        }
    }

    /**
     * Entries [f0, f1) of the bias gradient over n images, {@code db[f] = Σ_i Σ_p dY_i[f][p]},
     * added to db when {@code accumulate}: dY (n, F·P) from dyOff, db (F).
     */
    public static void biasGradient(double[] dY, int dyOff, double[] db, int f0, int f1, int n, Geometry g,
                                    boolean accumulate) {
        int out = g.outputSize(), p = g.positions();
        for (int f = f0; f < f1; f++) {
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                for (int j = dyOff + i * out + f * p, end = j + p; j < end; j++) {
                    sum += dY[j];
                }
            }
            db[f] = accumulate ? db[f] + sum : sum;
        }
    }

    /** The float32 twin of {@link #biasGradient(double[], int, double[], int, int, int, Geometry, boolean)}. */
    public static void biasGradient(float[] dY, int dyOff, float[] db, int f0, int f1, int n, Geometry g,
                                    boolean accumulate) {
        int out = g.outputSize(), p = g.positions();
        for (int f = f0; f < f1; f++) {
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                for (int j = dyOff + i * out + f * p, end = j + p; j < end; j++) {
                    sum += dY[j];
                }
            }
            db[f] = accumulate ? db[f] + sum : sum;
        }
    }

    /**
     * dx_i = fold(Wᵀ · dY_i) for n images: dY (n, F·P) from dyOff, W (F, K), dx (n, C·H·W) from
     * dxOff, written; dcols: (K, P) of scratch.
     */
    public static void inputGradient(double[] dY, int dyOff, double[] w, double[] dx, int dxOff, int n, Geometry g,
                                     double[] dcols) {
        int in = g.inputSize(), out = g.outputSize(), f = g.filters(), k = g.patch(), p = g.positions();
        for (int i = 0; i < n; i++) {
            Products.matmulTransA(w, 0, k, dY, dyOff + i * out, dcols, 0, f, k, p, false);
            Im2col.fold(dcols, g, dx, dxOff + i * in);
        }
    }

    /** The float32 twin of {@link #inputGradient(double[], int, double[], double[], int, int, Geometry, double[])}. */
    public static void inputGradient(float[] dY, int dyOff, float[] w, float[] dx, int dxOff, int n, Geometry g,
                                     float[] dcols) {
        int in = g.inputSize(), out = g.outputSize(), f = g.filters(), k = g.patch(), p = g.positions();
        for (int i = 0; i < n; i++) {
            Products.matmulTransA(w, 0, k, dY, dyOff + i * out, dcols, 0, f, k, p, false);
            Im2col.fold(dcols, g, dx, dxOff + i * in);
        }
    }

    // ---- the layer --------------------------------------------------------------------------------

    @Override
    public List<Parameter> parameters() {
        return List.of(weights, bias);
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
        return "conv";
    }

    /** The filters as PyTorch's weight tensor reads, F x C x k x k; the bias as a dense layer's, 1 x F. */
    @Override
    public String parameterShape(int k) {
        return k == 0 ? g.filters() + "x" + g.channels() + "x" + g.kernel() + "x" + g.kernel() : "1x" + g.filters();
    }

    /**
     * Every weight, filter by filter (its C·k·k in order), then every bias, each drawn for fan-in
     * C·k·k and fan-out F·k·k, as PyTorch computes a convolution's fans.
     */
    @Override
    public void initialize(ParameterDraw draw) {
        int fanIn = g.patch(), fanOut = g.filters() * g.kernel() * g.kernel();
        double[] w = weights.value().data(), b = bias.value().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = draw.weight(fanIn, fanOut);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = draw.bias(fanIn, fanOut);
        }
    }

    /** As the layer reads in {@code --layers}: {@code conv32k3p1}, {@code conv16k5s2}. */
    public String describe() {
        return "conv" + g.filters() + "k" + g.kernel() + (g.stride() != 1 ? "s" + g.stride() : "")
                + (g.padding() != 0 ? "p" + g.padding() : "");
    }

    @Override
    public String describeInNetwork() {
        return "-> " + describe();
    }

    @Override
    public String toString() {
        return describe() + " " + g.input() + "->" + g.output();
    }
}
