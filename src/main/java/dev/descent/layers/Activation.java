package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Locale;

/**
 * An element-wise activation {@code y = f(x)} whose derivative is a function of its output,
 * {@code f'(x) = g(y)}, so forward caches y and backward computes {@code dx = dy ⊙ g(y)}.
 *
 * <p>Shapes: x: (N, k) -> y: (N, k). The built-in ones are {@link Relu}, {@link Sigmoid}
 * and {@link Tanh}; {@link #of(String)} finds one by name.
 */
public abstract class Activation implements Layer {
    private Matrix output; // cached by forward: (N, k)
    private Matrix dInput; // reused from batch to batch

    /** f(x). */
    protected abstract double apply(double x);

    /** f'(x) written in terms of y = f(x). */
    protected abstract double derivativeFromOutput(double y);

    @Override
    public final Matrix forward(Matrix x) {
        output = Matrix.reuse(output, x.rows(), x.cols());
        double[] X = x.data(), Y = output.data();
        for (int i = 0; i < X.length; i++) {
            Y[i] = apply(X[i]);
        }
        return output;
    }

    @Override
    public final Matrix backward(Matrix dY) {
        dInput = Matrix.reuse(dInput, dY.rows(), dY.cols());
        double[] D = dY.data(), Y = output.data(), G = dInput.data();
        for (int i = 0; i < D.length; i++) {
            G[i] = D[i] * derivativeFromOutput(Y[i]);
        }
        return dInput;
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
     * through unchanged.
     */
    public static final class Relu extends Activation implements Kinked {
        /** Which units were active (y > 0) in the last forward pass. */
        @Override
        public Object lastRegion() {
            double[] y = lastOutput().data();
            java.util.BitSet active = new java.util.BitSet(y.length);
            for (int i = 0; i < y.length; i++) {
                if (y[i] > 0.0) {
                    active.set(i);
                }
            }
            return active;
        }

        @Override
        protected double apply(double x) {
            // Written so that NaN passes through (NaN <= 0 is false), as in PyTorch: a ReLU must not hide one.
            return x <= 0.0 ? 0.0 : x;
        }

        @Override
        protected double derivativeFromOutput(double y) {
            return y > 0.0 ? 1.0 : 0.0;
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
        public String kind() {
            return "tanh";
        }
    }
}
