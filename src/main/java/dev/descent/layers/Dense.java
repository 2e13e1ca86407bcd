package dev.descent.layers;

import dev.descent.tensor.Matrix;
import dev.descent.tensor.MatrixOps;
import dev.descent.tensor.ShapeException;
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
 *   db += Σ_n dY[n, :]   (1, out)
 *   dx  = dY · Wᵀ        (N, in)
 * </pre>
 * Forward caches x for the weight gradient.
 */
public final class Dense implements Layer {
    private final Parameter weights;
    private final Parameter bias;
    private Matrix input; // cached by forward: (N, in)
    private Matrix output, dInput, weightsT; // buffers reused from batch to batch

    /** A layer with all weights and biases zero; an initializer fills them. */
    public Dense(int in, int out) {
        this(new Matrix(in, out), new Matrix(1, out));
    }

    /** A layer over the given weights (in, out) and bias (1, out); the matrices are used, not copied. */
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
        MatrixOps.matmul(x, weights.value(), output);
        MatrixOps.addRowVectorInPlace(output, bias.value());
        return output;
    }

    @Override
    public Matrix backward(Matrix dY) {
        return backward(dY, true);
    }

    @Override
    public Matrix backward(Matrix dY, boolean needInputGradient) {
        MatrixOps.addMatmulTransA(input, dY, weights.grad());
        MatrixOps.addColumnSums(dY, bias.grad());
        if (!needInputGradient) {
            return null;
        }
        dInput = Matrix.reuse(dInput, dY.rows(), inputSize());
        weightsT = Matrix.reuse(weightsT, outputSize(), inputSize());
        MatrixOps.matmulTransB(dY, weights.value(), dInput, weightsT);
        return dInput;
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

    @Override
    public String toString() {
        return "dense " + inputSize() + "->" + outputSize();
    }
}
