package dev.descent.layers;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.tensor.Products;
import dev.descent.tensor.ShapeException;
import java.util.Arrays;
import java.util.List;

/**
 * A fully connected layer, {@code y = x·W + b}.
 *
 * <p>Shapes: x: (N, in)  W: (in, out)  b: (1, out)  ->  y: (N, out). The weights are stored
 * [in][out], as in the model file, so a row of x multiplies W directly.
 *
 * <p>Backward, with dY = dL/dy:
 * <pre>
 *   dW += xᵀ · dY        (in, out)
 *   db += dYᵀ · 1        (1, out)   the column sums of dY
 *   dx  = dY · Wᵀ        (N, in)
 * </pre>
 * Forward caches x for the weight gradient.
 *
 * <p>The maths is written once, as the static kernels below, on row-major arrays with offsets, in
 * float64 and, beside each, float32. The reference schedule ({@link #forward(Matrix)},
 * {@link #backward(Matrix, boolean)}) runs them on blocks of the batch's rows split across the
 * cores; the fused training step runs them on each core's own rows.
 */
public final class Dense implements Layer {
    private final Parameter weights;
    private final Parameter bias;
    private Matrix input; // cached by forward: (N, in)
    private Matrix output, dInput; // buffers reused from batch to batch
    private double[] ones = new double[0]; // (N) of 1, for db = dYᵀ·1

    /** A layer with all weights and biases zero; an initializer fills them. */
    public Dense(int in, int out) {
        this(new Matrix(in, out), new Matrix(1, out));
    }

    /** A layer over the given weights (in, out) and bias (1, out); the matrices are used, not copied. */
    /** A dense layer holding copies of this one's weights and bias. */
    @Override
    public Dense copy() {
        return new Dense(weights.value().copy(), bias.value().copy());
    }

    public Dense(Matrix weights, Matrix bias) {
        if (bias.rows() != 1 || bias.cols() != weights.cols()) {
            throw new ShapeException("dense bias must be 1x" + weights.cols() + " for weights "
                    + weights.shape() + ", got " + bias.shape());
        }
        this.weights = new Parameter("W", weights);
        this.bias = new Parameter("b", bias);
    }

    public int inputSize() {
        return weights.value().rows();
    }

    public int outputSize() {
        return weights.value().cols();
    }

    public Parameter weights() {
        return weights;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Matrix forward(Matrix x) {
        if (x.cols() != inputSize()) {
            throw new ShapeException("dense layer takes " + inputSize() + " inputs, got a batch of "
                    + x.shape());
        }
        input = x;
        output = Matrix.reuse(output, x.rows(), outputSize());
        double[] X = x.data(), W = weights.value().data(), b = bias.value().data(), Y = output.data();
        int in = inputSize(), out = outputSize();
        MatrixOps.splitRows(x.rows(), (long) x.rows() * in * out,
                (from, to) -> forward(X, from * in, W, b, Y, from * out, to - from, in, out));
        return output;
    }

    @Override
    public Matrix backward(Matrix dY) {
        return backward(dY, true);
    }

    @Override
    public Matrix backward(Matrix dY, boolean needInputGradient) {
        MatrixOps.requireSameShape(dY, output, "dense backward: dY");
        int n = dY.rows(), in = inputSize(), out = outputSize();
        double[] X = input.data(), G = dY.data(), W = weights.value().data();
        double[] dW = weights.grad().data(), db = bias.grad().data();
        if (ones.length < n) {
            ones = new double[n];
            Arrays.fill(ones, 1.0);
        }
        long work = (long) n * in * out;
        MatrixOps.splitOutputRows(in, work, (r0, r1) -> weightGradient(X, G, dW, r0, r1, n, in, out, true));
        biasGradient(G, ones, db, 0, out, n, out, true);
        if (!needInputGradient) {
            return null;
        }
        dInput = Matrix.reuse(dInput, n, in);
        double[] dX = dInput.data();
        MatrixOps.splitRows(n, work, (from, to) -> inputGradient(G, from * out, W, dX, from * in, to - from, in, out));
        return dInput;
    }

    // ---- kernels: forward, then the three gradients; float64, then its float32 twin ---------

    /**
     * y = x·W + b on n rows: x (n, in) from xOff, W (in, out), b (out), y (n, out) from yOff.
     * The rows of y are preset to b and the product added onto them (β = 1): one flat copy per
     * row and one BLAS call, where {@code y[o + j] += b[j]} would stay a scalar loop in Java 17.
     */
    public static void forward(double[] x, int xOff, double[] w, double[] b, double[] y, int yOff, int n, int in,
                               int out) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(b, 0, y, yOff + r * out, out);
        }
        Products.matmul(x, xOff, w, y, yOff, n, in, out, true);
    }

    /** The float32 twin of {@link #forward(double[], int, double[], double[], double[], int, int, int, int)}. */
    public static void forward(float[] x, int xOff, float[] w, float[] b, float[] y, int yOff, int n, int in,
                               int out) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(b, 0, y, yOff + r * out, out);
        }
        Products.matmul(x, xOff, w, y, yOff, n, in, out, true);
    }

    /**
     * Rows [r0, r1) of the weight gradient, over all n rows of the batch:
     * {@code dW[r0:r1, :] = x[:, r0:r1]ᵀ·dY}, added to dW when {@code accumulate}.
     * x (n, in), dY (n, out), dW (in, out).
     */
    public static void weightGradient(double[] x, double[] dY, double[] dW, int r0, int r1, int n, int in, int out,
                                      boolean accumulate) {
        Products.matmulTransA(x, r0, in, dY, 0, dW, r0 * out, n, r1 - r0, out, accumulate);
    }

    /** The float32 twin of {@link #weightGradient(double[], double[], double[], int, int, int, int, int, boolean)}. */
    public static void weightGradient(float[] x, float[] dY, float[] dW, int r0, int r1, int n, int in, int out,
                                      boolean accumulate) {
        Products.matmulTransA(x, r0, in, dY, 0, dW, r0 * out, n, r1 - r0, out, accumulate);
    }

    /**
     * Entries [c0, c1) of the bias gradient, over all n rows: {@code db[c0:c1] = dY[:, c0:c1]ᵀ·1},
     * added to db when {@code accumulate}: a product with a column of ones (at least n), so the
     * column sums run in the BLAS. dY (n, out), db (out).
     */
    public static void biasGradient(double[] dY, double[] ones, double[] db, int c0, int c1, int n, int out,
                                    boolean accumulate) {
        Products.matmulTransA(dY, c0, out, ones, 0, db, c0, n, c1 - c0, 1, accumulate);
    }

    /** The float32 twin of {@link #biasGradient(double[], double[], double[], int, int, int, int, boolean)}. */
    public static void biasGradient(float[] dY, float[] ones, float[] db, int c0, int c1, int n, int out,
                                    boolean accumulate) {
        Products.matmulTransA(dY, c0, out, ones, 0, db, c0, n, c1 - c0, 1, accumulate);
    }

    /** dx = dY·Wᵀ on n rows: dY (n, out) from dyOff, W (in, out), dx (n, in) from dxOff. */
    public static void inputGradient(double[] dY, int dyOff, double[] w, double[] dx, int dxOff, int n, int in,
                                     int out) {
        Products.matmulTransB(dY, dyOff, w, dx, dxOff, n, out, in);
    }

    /** The float32 twin of {@link #inputGradient(double[], int, double[], double[], int, int, int, int)}. */
    public static void inputGradient(float[] dY, int dyOff, float[] w, float[] dx, int dxOff, int n, int in,
                                     int out) {
        Products.matmulTransB(dY, dyOff, w, dx, dxOff, n, out, in);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weights, bias);
    }

    @Override
    public int outputSize(int inputSize) {
        if (inputSize != inputSize()) {
            throw new ShapeException("dense layer " + inputSize() + "->" + outputSize()
                    + " cannot follow a layer of width " + inputSize);
        }
        return outputSize();
    }

    @Override
    public String kind() {
        return "dense";
    }

    /** Every weight, row by row, then every bias, each drawn for fan-in {@code in} and fan-out {@code out}. */
    @Override
    public void initialize(ParameterDraw draw) {
        int in = inputSize(), out = outputSize();
        double[] w = weights.value().data(), b = bias.value().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = draw.weight(in, out);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = draw.bias(in, out);
        }
    }

    @Override
    public String describeInNetwork() {
        return "-> " + outputSize();
    }

    @Override
    public String toString() {
        return "dense " + inputSize() + "->" + outputSize();
    }
}
