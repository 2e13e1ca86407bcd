package dev.descent.layers;

import dev.descent.tensor.Matrix;

/**
 * A trainable tensor and its gradient, of the same shape.
 *
 * <p>The gradient is only ever accumulated into ({@code +=}) by a gradient source, after an
 * explicit {@link #zeroGrad()}; an optimizer reads it and writes the value.
 *
 * @param name  the name users see in reports and model files, such as {@code W1} or {@code b2}
 * @param value the current values
 * @param grad  d(loss)/d(value), filled by a gradient source
 */
public record Parameter(String name, Matrix value, Matrix grad) {
    public Parameter(String name, Matrix value) {
        this(name, value, new Matrix(value.rows(), value.cols()));
    }

    public void zeroGrad() {
        grad.zeroInPlace();
    }

    /** Number of scalar entries. */
    public int size() {
        return value.size();
    }
}
