package dev.descent;

import dev.descent.layers.Conv2d;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.layers.Shape;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Users' own layers, for tests: element-wise maps with a backward that may be right or wrong on purpose. */
public final class TestLayers {
    private TestLayers() {}

    /**
     * y = f(x) element-wise, with dx = backward(x, dy) element-wise; no parameters.
     *
     * @param kind the layer's name in messages, such as {@code square}
     */
    public static Layer elementwise(String kind, DoubleUnaryOperator f, DoubleBinaryOperator backward) {
        return new Layer() {
            private Matrix input;

            @Override
            public Matrix forward(Matrix x) {
                input = x;
                Matrix y = new Matrix(x.rows(), x.cols());
                for (int i = 0; i < x.size(); i++) {
                    y.data()[i] = f.applyAsDouble(x.data()[i]);
                }
                return y;
            }

            @Override
            public Matrix backward(Matrix dY) {
                Matrix dX = new Matrix(dY.rows(), dY.cols());
                for (int i = 0; i < dY.size(); i++) {
                    dX.data()[i] = backward.applyAsDouble(input.data()[i], dY.data()[i]);
                }
                return dX;
            }

            @Override
            public List<Parameter> parameters() {
                return List.of();
            }

            @Override
            public int outputSize(int inputSize) {
                return inputSize;
            }

            @Override
            public String kind() {
                return kind;
            }
        };
    }

    /**
     * y = x + noise, fresh Gaussian noise of sd {@code sd} drawn on every call (a user's layer that
     * forgot to fix its randomness), with the right backward for a fixed draw: dx = dy.
     */
    public static Layer noisy(double sd, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        return elementwise("noisy", x -> x + sd * rng.nextGaussian(), (x, dy) -> dy);
    }

    /** y = x², with its backward 2x·dy multiplied by {@code factor}: −1 flips its sign, 2 doubles it. */
    public static Layer square(double factor) {
        return elementwise("square", x -> x * x, (x, dy) -> factor * 2 * x * dy);
    }

    /**
     * A convolution of one's own: {@code conv}'s forward, and its backward with the gradient of its
     * filters (W) multiplied by {@code factor} (−1 flips its sign, 2 doubles it); the bias's and the
     * input's gradients are right. Its kind is {@code conv}, so a network names its tensors as a
     * convolution's at its place: {@code conv1.W} and {@code conv1.b} first.
     */
    public static Layer conv(Conv2d conv, double factor) {
        return new Layer() {
            @Override
            public Matrix forward(Matrix x) {
                return conv.forward(x);
            }

            @Override
            public Matrix backward(Matrix dY) {
                return backward(dY, true);
            }

            @Override
            public Matrix backward(Matrix dY, boolean needInputGradient) {
                double[] dW = conv.weights().grad().data(), before = dW.clone();
                Matrix dX = conv.backward(dY, needInputGradient);
                for (int i = 0; i < dW.length; i++) { // only what this backward added is scaled
                    dW[i] = before[i] + factor * (dW[i] - before[i]);
                }
                return dX;
            }

            @Override
            public List<Parameter> parameters() {
                return conv.parameters();
            }

            @Override
            public int outputSize(int inputSize) {
                return conv.outputSize(inputSize);
            }

            @Override
            public Shape outputShape(Shape input) {
                return conv.outputShape(input);
            }

            @Override
            public String parameterShape(int k) {
                return conv.parameterShape(k);
            }

            @Override
            public String kind() {
                return "conv";
            }
        };
    }
}
