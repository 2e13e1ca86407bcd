package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * An element-wise activation {@code y = f(x)} whose derivative is a function of its output,
 * {@code f'(x) = g(y)}, so forward caches y and backward computes {@code dx = dy ⊙ g(y)}.
 *
 * <p>Shapes: x: (N, k) -> y: (N, k). The built-in ones are {@link Relu}, {@link Sigmoid} and
 * {@link Tanh}; {@link #of(String)} finds one by name. A subclass defines f and g for one value;
 * the array kernels of {@link ElementWise} apply them, and a subclass may override a kernel with
 * a faster loop of the same values (ReLU does).
 */
public abstract class Activation implements ElementWise {
    private Matrix output; // cached by forward: (N, k)
    private Matrix dInput; // reused from batch to batch

    /** f(x). */
    protected abstract double apply(double x);

    /** f'(x) written in terms of y = f(x). */
    protected abstract double derivativeFromOutput(double y);

    @Override
    public final Matrix forward(Matrix x) {
        output = Matrix.reuse(output, x.rows(), x.cols());
        forward(x.data(), output.data(), 0, x.size());
        return output;
    }

    @Override
    public final Matrix backward(Matrix dY) {
        dInput = Matrix.reuse(dInput, dY.rows(), dY.cols());
        backward(dY.data(), output.data(), dInput.data(), 0, dY.size());
        return dInput;
    }

    // ---- kernels: forward beside backward, float64 then its float32 twin ---------------------

    @Override
    public void forward(double[] x, double[] y, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            y[i] = apply(x[i]);
        }
    }

    /** f in double, rounded to float once. */
    @Override
    public void forward(float[] x, float[] y, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            y[i] = (float) apply(x[i]);
        }
    }

    @Override
    public void backward(double[] dy, double[] y, double[] dx, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            dx[i] = dy[i] * derivativeFromOutput(y[i]);
        }
    }

    /** The slope g(y) in double, rounded to float, then multiplied in float. */
    @Override
    public void backward(float[] dy, float[] y, float[] dx, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            dx[i] = dy[i] * (float) derivativeFromOutput(y[i]);
        }
    }

    /** f(x) for one value, as forward computes it. */
    public final double valueAt(double x) {
        return apply(x);
    }

    /** f'(x) for one output y = f(x), as backward computes it. */
    public final double slopeFromOutput(double y) {
        return derivativeFromOutput(y);
    }

    /** The output of the most recent forward pass: (N, k). */
    protected final Matrix lastOutput() {
        return output;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public final int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    public String toString() {
        return kind();
    }

    @Override
    public String describeInNetwork() {
        return kind();
    }

    /** The names {@link #of} accepts. */
    public static final List<String> NAMES = List.of("relu", "sigmoid", "tanh");

    /** A new activation layer by name (relu, sigmoid, tanh; case-insensitive). */
    public static Activation of(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "relu":
                return new Relu();
            case "sigmoid":
                return new Sigmoid();
            case "tanh":
                return new Tanh();
            default:
                throw new IllegalArgumentException(
                        "unknown activation '" + name + "': expected one of " + String.join(", ", NAMES));
        }
    }

    /**
     * Rectified linear unit, {@code y = max(0, x)}. At the kink we take ReLU'(0) = 0 (as PyTorch
     * and tinygrad do), so a unit whose pre-activation is exactly 0 passes no gradient. NaN passes
     * through unchanged, forward and backward. −0 comes out as 0.
     *
     * <p>The kernels are flat and branch-free, so the JIT compiler vectorises them: the slope is
     * {@code min(1, max(y·S·S, 0))} with S = 1e300 (1e38 in float): 0 for y ≤ 0 (−0 included), 1
     * from the smallest positive value up, NaN for NaN; where {@code y > 0 ? 1 : 0} would
     * mispredict on half of ReLU's outputs.
     */
    public static final class Relu extends Activation implements Kinked {
        private static final double S = 1e300;
        private static final float S_FLOAT = 1e38f;

        /** Which units were active (y > 0) in the last forward pass. */
        @Override
        public Object lastRegion() {
            double[] y = lastOutput().data();
            BitSet active = new BitSet(y.length);
            for (int i = 0; i < y.length; i++) {
                if (y[i] > 0.0) {
                    active.set(i);
                }
            }
            return active;
        }

        @Override
        protected double apply(double x) {
            return Math.max(x, 0.0); // NaN passes, as in PyTorch: a ReLU must not hide one
        }

        @Override
        protected double derivativeFromOutput(double y) {
            return Math.min(1.0, Math.max(y * S * S, 0.0)); // [y > 0]; NaN for NaN
        }

        @Override
        public void forward(double[] x, double[] y, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                y[i] = Math.max(x[i], 0.0);
            }
        }

        @Override
        public void forward(float[] x, float[] y, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        }

        @Override
        public void backward(double[] dy, double[] y, double[] dx, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                dx[i] = dy[i] * Math.min(1.0, Math.max(y[i] * S * S, 0.0));
            }
        }

        @Override
        public void backward(float[] dy, float[] y, float[] dx, int off, int len) {
            for (int i = off, end = off + len; i < end; i++) {
                dx[i] = dy[i] * Math.min(1f, Math.max(y[i] * S_FLOAT * S_FLOAT, 0f));
            }
        }

        @Override
        public boolean rectifies() {
            return true;
        }

        @Override
        public boolean activeAt(double y) {
            return y > 0;
        }

        /** A new relu: its caches are its own. */
        @Override
        public Relu copy() {
            return new Relu();
        }

        @Override
        public String kind() {
            return "relu";
        }
    }

    /** Logistic sigmoid, {@code y = 1 / (1 + e^(-x))}, with {@code y' = y (1 - y)}. */
    public static final class Sigmoid extends Activation {
        @Override
        protected double apply(double x) {
            // Two branches so exp never overflows: for x < 0 use e^x / (1 + e^x).
            if (x >= 0) {
                return 1.0 / (1.0 + Math.exp(-x));
            }
            double e = Math.exp(x);
            return e / (1.0 + e);
        }

        @Override
        protected double derivativeFromOutput(double y) {
            return y * (1.0 - y);
        }

        @Override
        public double fromLimit(double y) {
            return Math.min(y, 1 - y);
        }

        @Override
        public boolean saturates() {
            return true;
        }

        /** A new sigmoid: its caches are its own. */
        @Override
        public Sigmoid copy() {
            return new Sigmoid();
        }

        @Override
        public String kind() {
            return "sigmoid";
        }
    }

    /** Hyperbolic tangent, {@code y = tanh(x)}, with {@code y' = 1 - y²}. */
    public static final class Tanh extends Activation {
        @Override
        protected double apply(double x) {
            return Math.tanh(x);
        }

        @Override
        protected double derivativeFromOutput(double y) {
            return 1.0 - y * y;
        }

        @Override
        public double fromLimit(double y) {
            return 1 - Math.abs(y);
        }

        @Override
        public boolean saturates() {
            return true;
        }

        /** A new tanh: its caches are its own. */
        @Override
        public Tanh copy() {
            return new Tanh();
        }

        @Override
        public String kind() {
            return "tanh";
        }
    }
}
