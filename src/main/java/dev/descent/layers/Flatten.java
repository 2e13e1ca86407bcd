package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * The end of the image layers: a C×H×W image read as a row of C·H·W values, as PyTorch's
 * {@code nn.Flatten()} does. A batch's rows already hold each image flattened, channels first
 * ({@link Shape}), so nothing moves: forward returns x and backward dy, the same matrices.
 * Shapes: x: (N, C·H·W) -> y: (N, C·H·W), no parameters; only the shape is forgotten, so that a
 * dense layer can follow.
 */
public final class Flatten implements Layer {
    @Override
    public Matrix forward(Matrix x) {
        return x;
    }

    @Override
    public Matrix backward(Matrix dOut) {
        return dOut;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    /** A plain row: whatever the image was, a dense layer reads its values in order. */
    @Override
    public Shape outputShape(Shape input) {
        return null;
    }

    @Override
    public String kind() {
        return "flatten";
    }

    @Override
    public String describeInNetwork() {
        return "-> flatten";
    }

    @Override
    public String toString() {
        return "flatten";
    }
}
