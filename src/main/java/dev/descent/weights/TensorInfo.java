package dev.descent.weights;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A tensor as a weights file declares it: its name, its element type (as the format spells it:
 * {@code F32}, {@code <f8}, ...), its shape, and whether its values are stored column-major
 * (an {@code .npy} array with {@code fortran_order}).
 */
public record TensorInfo(String name, String dtype, int[] shape, boolean columnMajor) {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of values: the product of the shape (1 for a scalar). */
    public long count() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** {@code [128, 784]}. */
    public String shapeText() {
        return text(shape);
    }

    /** A shape as {@code [128, 784]}. */
    public static String text(int[] shape) {
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dtype.equals(dtype)
                && Arrays.equals(t.shape, shape) && t.columnMajor == columnMajor;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeText();
    }
}
