package dev.descent.network;

import dev.descent.layers.Activation;
import dev.descent.layers.AvgPool2d;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Flatten;
import dev.descent.layers.Layer;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.Parameter;
import dev.descent.layers.Shape;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.tensor.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A feed-forward network: layers applied in order to a batch x: (N, inputSize), producing
 * logits: (N, outputSize). The softmax that turns logits into class probabilities is fused into
 * the loss for training and applied by {@link #predictProbabilities} for prediction.
 *
 * <p>A network of images takes each row as a C×H×W image, channels first ({@link Shape}), its
 * {@link #inputShape()}; its convolutions and pooling layers pass images on, and a
 * {@link Flatten} ends them.
 *
 * <p>Parameters are named the way the original thread named them: the k-th dense layer's weights
 * and bias are {@code Wk} and {@code bk}; the k-th convolution's are {@code convk.W} and
 * {@code convk.b}; a parameter of any other layer at position i (from 1) is {@code <kind>i.<name>}.
 */
public final class Network {
    private final int inputSize;
    private final Shape inputShape; // null: the rows are plain features
    private final List<Layer> layers;
    private final List<Parameter> parameters;

    public Network(int inputSize, List<Layer> layers) {
        this(inputSize, null, layers);
    }

    /** A network whose rows are images of {@code inputShape}. */
    public Network(Shape inputShape, List<Layer> layers) {
        this(inputShape.size(), inputShape, layers);
    }

    private Network(int inputSize, Shape inputShape, List<Layer> layers) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("a network needs at least one input, got " + inputSize);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        this.inputSize = inputSize;
        this.inputShape = inputShape;
        this.layers = List.copyOf(layers);
        int width = inputSize;
        Shape shape = inputShape;
        for (int i = 0; i < this.layers.size(); i++) {
            try {
                width = this.layers.get(i).outputSize(width);
                shape = this.layers.get(i).outputShape(shape);
            } catch (ShapeException e) {
                throw new ShapeException("layer " + (i + 1) + " (" + this.layers.get(i) + "): " + e.getMessage());
            }
        }
        this.parameters = nameParameters(this.layers);
    }

    private static List<Parameter> nameParameters(List<Layer> layers) {
        List<Parameter> named = new ArrayList<>();
        int dense = 0, conv = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer instanceof Dense) {
                dense++;
            } else if (layer instanceof Conv2d) {
                conv++;
            }
            for (Parameter p : layer.parameters()) {
                String name = layer instanceof Dense ? p.name() + dense
                        : layer instanceof Conv2d ? "conv" + conv + "." + p.name()
                        : layer.kind() + (i + 1) + "." + p.name();
                named.add(p.named(name));
            }
        }
        return Collections.unmodifiableList(named);
    }

    /** A builder for a network taking {@code inputSize} features. */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize, null);
    }

    /** A builder for a network taking images of {@code inputShape}: convolutions and pooling first. */
    public static Builder builder(Shape inputShape) {
        return new Builder(inputShape.size(), inputShape);
    }

    /** A network of the same input (its width and any image shape) made of {@code newLayers}. */
    public Network withLayers(List<Layer> newLayers) {
        return new Network(inputSize, inputShape, newLayers);
    }

    /**
     * Images per forward pass when a large set is evaluated (training loss, test set), where
     * plain rows go 1,000 at a time: the layers keep their outputs for the next pass, and 1,000
     * Fashion-MNIST images through a conv32k3p1 alone are 200 MB in float64.
     */
    public static final int IMAGES_AT_ONCE = 100;

    /** The shape of each input row as an image, or null when the rows are plain features. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Each layer's output shape, in order: an image's C×H×W, or null for a plain row of values. */
    public List<Shape> outputShapes() {
        List<Shape> shapes = new ArrayList<>();
        Shape shape = inputShape;
        for (Layer layer : layers) {
            shape = layer.outputShape(shape);
            shapes.add(shape);
        }
        return shapes;
    }

    /** x: (N, inputSize) -> logits: (N, outputSize). Each layer caches what its backward needs. */
    public Matrix forward(Matrix x) {
        Matrix a = x;
        for (Layer layer : layers) {
            a = layer.forward(a);
        }
        return a;
    }

    /** Every layer's output for x, in order; the last is the logits. Used to look inside a run. */
    public List<Matrix> forwardTrace(Matrix x) {
        List<Matrix> outputs = new ArrayList<>();
        Matrix a = x;
        for (Layer layer : layers) {
            a = layer.forward(a);
            outputs.add(a);
        }
        return outputs;
    }

    /**
     * dLogits: (N, outputSize); accumulates every parameter's gradient, layer by layer in reverse.
     * The first layer is told its input gradient is not needed: its input is the data.
     */
    public void backward(Matrix dLogits) {
        Matrix d = dLogits;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d, i > 0);
        }
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    /** Class probabilities, softmax of the logits: (N, outputSize), rows summing to 1. */
    public Matrix predictProbabilities(Matrix x) {
        return SoftmaxCrossEntropy.softmax(forward(x));
    }

    /** The most probable class of each row of x. */
    public int[] predictClasses(Matrix x) {
        Matrix logits = forward(x);
        int[] classes = new int[logits.rows()];
        for (int r = 0; r < classes.length; r++) {
            classes[r] = MatrixOps.argmaxRow(logits, r);
        }
        return classes;
    }

    /** A copy of every parameter's values, in {@link #parameters()} order. */
    public List<Matrix> snapshot() {
        List<Matrix> copy = new ArrayList<>();
        for (Parameter p : parameters) {
            copy.add(p.value().copy());
        }
        return copy;
    }

    /** Puts back values taken by {@link #snapshot()}. */
    public void restore(List<Matrix> snapshot) {
        if (snapshot.size() != parameters.size()) {
            throw new IllegalArgumentException("snapshot has " + snapshot.size() + " tensors, network has "
                    + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).value().copyFrom(snapshot.get(i));
        }
    }

    /**
     * A network of the same layers holding copies of these parameters and sharing nothing that
     * either writes ({@link Layer#copy()}).
     *
     * @throws UnsupportedOperationException when a layer of one's own with parameters has no copy
     */
    public Network copy() {
        List<Layer> copies = new ArrayList<>();
        for (Layer layer : layers) {
            copies.add(layer.copy());
        }
        return new Network(inputSize, inputShape, copies);
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        int width = inputSize;
        for (Layer layer : layers) {
            width = layer.outputSize(width);
        }
        return width;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The trainable tensors, named (W1, b1, W2, ...), sharing storage with the layers. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Total number of trainable scalars. */
    public int parameterCount() {
        int n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    /**
     * The architecture in one line, such as {@code 5 -> 20 relu -> 10 softmax}, or for images
     * {@code 1x28x28 -> conv32k3p1 relu -> pool2 -> flatten -> 10 softmax}.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputShape != null ? inputShape.toString() : inputSize);
        for (Layer layer : layers) {
            sb.append(' ').append(layer.describeInNetwork());
        }
        return sb.append(" softmax").toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Adds layers one at a time, checking that each fits the width (and the image shape) before it. */
    public static final class Builder {
        private final int inputSize;
        private final Shape inputShape;
        private final List<Layer> layers = new ArrayList<>();
        private int width;
        private Shape shape; // the current image shape, null after a dense layer or a flatten

        private Builder(int inputSize, Shape inputShape) {
            this.inputSize = inputSize;
            this.inputShape = inputShape;
            this.width = inputSize;
            this.shape = inputShape;
        }

        /**
         * A dense layer from the current width to {@code outputs}, all parameters zero until
         * initialised; after images, a {@link Flatten} first.
         */
        public Builder dense(int outputs) {
            if (outputs <= 0) {
                throw new IllegalArgumentException("a dense layer needs at least one output, got " + outputs);
            }
            if (shape != null) {
                flatten();
            }
            return add(new Dense(width, outputs));
        }

        /**
         * A convolution of the current image: {@code filters} filters of kernel×kernel, moved by
         * {@code stride}, over the image padded by {@code padding} zeros; all parameters zero until initialised.
         *
         * @throws ShapeException when there is no image here, or the kernel is larger than the padded image
         */
        public Builder conv(int filters, int kernel, int stride, int padding) {
            return add(new Conv2d(image("a convolution"), filters, kernel, stride, padding));
        }

        /** Max pooling of the current image over size×size windows moved by {@code stride}, which must tile it. */
        public Builder maxPool(int size, int stride) {
            return add(new MaxPool2d(image("pooling"), size, stride));
        }

        /** Average pooling of the current image over size×size windows moved by {@code stride}, which must tile it. */
        public Builder avgPool(int size, int stride) {
            return add(new AvgPool2d(image("pooling"), size, stride));
        }

        /** The end of the images: a dense layer may follow. */
        public Builder flatten() {
            return add(new Flatten());
        }

        /** The current image's shape, or null after a dense layer or a flatten (or for a network of plain rows). */
        public Shape shape() {
            return shape;
        }

        private Shape image(String what) {
            if (shape == null) {
                throw new ShapeException(what + " needs an image, but the layer before gives a row of " + width
                        + " values");
            }
            return shape;
        }

        /** An activation by name: relu, sigmoid or tanh. */
        public Builder activation(String name) {
            return add(Activation.of(name));
        }

        public Builder relu() {
            return add(new Activation.Relu());
        }

        /** Any layer, a user's own included. */
        public Builder add(Layer layer) {
            width = layer.outputSize(width);
            shape = layer.outputShape(shape);
            layers.add(layer);
            return this;
        }

        public Network build() {
            return new Network(inputSize, inputShape, layers);
        }
    }
}
