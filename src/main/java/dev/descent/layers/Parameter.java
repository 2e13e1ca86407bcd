package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.Objects;

/**
 * A trainable tensor and its gradient, of the same shape.
 *
 * <p>The gradient is only ever accumulated into ({@code +=}) by a gradient source, after an
 * explicit {@link #zeroGrad()}; an optimizer reads it and writes the value.
 *
 * <p>The gradient is allocated the first time it is asked for ({@link #grad()}, {@link #zeroGrad()}),
 * not with the value: a run whose steps never compute a gradient (zeroth-order training, which
 * measures slopes along random directions and updates θ from them directly) then holds θ and no
 * gradient, as an inference does. A {@link #named} copy shares both the value and the gradient,
 * allocated or not.
 */
public final class Parameter {
    private final String name;
    private final Matrix value;
    private final Gradient gradient;

    /** Where the gradient lives once allocated; shared by the named copies of one parameter. */
    private static final class Gradient {
        private volatile Matrix matrix;
    }

    /**
     * @param name  the name users see in reports and model files, such as {@code W1} or {@code b2}
     * @param value the current values
     * @param grad  d(loss)/d(value), filled by a gradient source
     */
    public Parameter(String name, Matrix value, Matrix grad) {
        this(name, value, new Gradient());
        if (grad.rows() != value.rows() || grad.cols() != value.cols()) {
            throw new IllegalArgumentException("the gradient of " + name + " must be " + value.shape() + ", got "
                    + grad.shape());
        }
        gradient.matrix = grad;
    }

    /** A parameter whose gradient is allocated, zero, when first asked for. */
    public Parameter(String name, Matrix value) {
        this(name, value, new Gradient());
    }

    private Parameter(String name, Matrix value, Gradient gradient) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.gradient = gradient;
    }

    /** This parameter under another name, sharing its value and its gradient. */
    public Parameter named(String newName) {
        return new Parameter(newName, value, gradient);
    }

    /** The name users see in reports and model files, such as {@code W1} or {@code b2}. */
    public String name() {
        return name;
    }

    /** The current values. */
    public Matrix value() {
        return value;
    }

    /** d(loss)/d(value), filled by a gradient source; allocated (zero) the first time it is asked for. */
    public Matrix grad() {
        Matrix g = gradient.matrix;
        if (g == null) {
            synchronized (gradient) {
                g = gradient.matrix;
                if (g == null) {
                    g = new Matrix(value.rows(), value.cols());
                    gradient.matrix = g;
                }
            }
        }
        return g;
    }

    /** Whether the gradient has been allocated: false for a parameter that only zeroth-order steps have trained. */
    public boolean hasGrad() {
        return gradient.matrix != null;
    }

    public void zeroGrad() {
        grad().zeroInPlace();
    }

    /** Number of scalar entries. */
    public int size() {
        return value.size();
    }

    @Override
    public String toString() {
        return name + " " + value.shape();
    }
}
