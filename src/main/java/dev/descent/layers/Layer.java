package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * One stage of a feed-forward network: a forward map and, beside it, its backward map.
 *
 * <p>Contract, with N the batch size:
 * <ul>
 *   <li>{@link #forward} takes x: (N, in) and returns y: (N, out), remembering whatever
 *       {@link #backward} will need (the input, or the output). Neither the layer nor its
 *       caller modifies x or y afterwards. A layer may return the same buffer from one call to
 *       the next, so y is only valid until the layer's next forward.</li>
 *   <li>{@link #backward} takes dOut = dL/dy: (N, out) for the most recent forward call,
 *       <em>adds</em> dL/dθ into each parameter's gradient, and returns dInput = dL/dx: (N, in).</li>
 * </ul>
 * Implement this interface to add a layer of your own; check its backward against finite
 * differences with {@code dev.descent.gradient.CentralDifference}.
 */
public interface Layer {
    /** x: (N, in) -> y: (N, out). */
    Matrix forward(Matrix input);

    /** dOut: (N, out) -> dInput: (N, in); accumulates into the parameters' gradients. */
    Matrix backward(Matrix dOut);

    /**
     * As {@link #backward(Matrix)}, but a layer may skip computing dInput (and return null) when
     * {@code needInputGradient} is false, as for the first layer of a network, whose input is data.
     */
    default Matrix backward(Matrix dOut, boolean needInputGradient) {
        return backward(dOut);
    }

    /** The trainable tensors, in a fixed order; empty for a layer without parameters. */
    List<Parameter> parameters();

    /** The width of the output for an input of width {@code inputSize}; throws if it cannot take it. */
    int outputSize(int inputSize);

    /** A short lower-case name, as used in model files and headers: {@code dense}, {@code relu}. */
    String kind();

    /**
     * Gives the parameters their first values, each from {@code draw}, in the order of
     * {@link #parameters()} and row by row, so that a seed fixes every value. By default nothing
     * is drawn: a layer without parameters has none to fill, and a user's own layer may set its
     * own in its constructor.
     */
    default void initialize(ParameterDraw draw) {}

    /**
     * A layer of the same kind holding copies of this one's parameters, sharing nothing that either
     * writes: what {@code Network.copy} is made of, so that a network can be examined (the
     * doctor's probes) without touching the one that trains. By default a layer without
     * parameters is its own copy (its caches are only read by the backward right after its own
     * forward, so two networks used one after the other can share it); a layer of one's own with
     * parameters implements it to be copied, and is examined in place otherwise.
     *
     * @throws UnsupportedOperationException for a layer with parameters that does not implement it
     */
    default Layer copy() {
        if (!parameters().isEmpty()) {
            throw new UnsupportedOperationException(kind() + " has parameters and no copy()");
        }
        return this;
    }

    /**
     * How this layer reads in a network's one-line description, after the widths before it:
     * {@code -> 20} for a dense layer of 20 outputs, {@code relu} for an activation.
     */
    default String describeInNetwork() {
        return "-> " + this;
    }

    /**
     * The shape of the output for an input of shape {@code input} ({@code C×H×W}), or null when
     * the output is a plain row of values: what a convolution or pooling layer after this one
     * sees. {@code input} is null when the input is a plain row. By default null: a dense layer's
     * output is a row of units, whatever came in. An element-wise layer keeps its input's shape;
     * an image layer (a convolution, a pooling) gives its own, and throws a
     * {@link dev.descent.tensor.ShapeException} naming both shapes when it cannot take the input.
     */
    default Shape outputShape(Shape input) {
        return null;
    }

    /**
     * How the shape of parameter {@code k} (of {@link #parameters()}) reads in a summary: its
     * matrix's {@code rows x cols} by default ({@code 784x128}); a convolution's filters read as
     * PyTorch's tensor does, {@code 32x1x3x3}.
     */
    default String parameterShape(int k) {
        Matrix v = parameters().get(k).value();
        return v.rows() + "x" + v.cols();
    }
}
