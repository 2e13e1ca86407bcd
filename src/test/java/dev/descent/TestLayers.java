package dev.descent;

import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
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
}
