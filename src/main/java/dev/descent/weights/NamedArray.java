package dev.descent.weights;

/**
 * A tensor to write: its name, shape, and values row-major (C order), in double; the writer rounds
 * them to float when it writes float32.
 */
public record NamedArray(String name, int[] shape, double[] values) {
    public NamedArray {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": shape " + TensorInfo.text(shape) + " holds " + n
                    + " values, got " + values.length);
        }
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }
}
