package dev.descent.layers;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;

/**
 * What an image layer (a convolution, a pooling) takes and gives, and the three checks it makes
 * of what it is handed: a batch whose rows are its input images, a layer before it of its input's
 * width, an image of its input's shape. Each refusal is one line naming the layer as it reads in
 * {@code --layers} and both shapes.
 *
 * @param layer  the layer as it reads in {@code --layers}: {@code conv32k3p1}, {@code pool2}
 * @param input  the image it takes, C×H×W
 * @param output the image it gives
 */
record ImageShapes(String layer, Shape input, Shape output) {
    /** Before forward: x is a batch of input images, (N, C·H·W). */
    void requireBatch(Matrix x) {
        if (x.cols() != input.size()) {
            throw new ShapeException(layer + " takes images of " + input + " = " + input.size()
                    + " values, got a batch of " + x.shape());
        }
    }

    /** {@link Layer#outputSize}: the output's C·OH·OW, after a layer of {@code inputSize} values. */
    int outputSize(int inputSize) {
        if (inputSize != input.size()) {
            throw new ShapeException(layer + " takes images of " + input + " = " + input.size()
                    + " values and cannot follow a layer of width " + inputSize);
        }
        return output.size();
    }

    /** {@link Layer#outputShape}: the output's shape, after an image of {@code in} (null: a plain row, taken as is). */
    Shape outputShape(Shape in) {
        if (in != null && !in.equals(input)) {
            throw new ShapeException(layer + " takes images of " + input + ", got " + in);
        }
        return output;
    }
}
