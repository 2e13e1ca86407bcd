package dev.descent.layers;

import dev.descent.tensor.ShapeException;
import java.util.Locale;

/**
 * The sizes of a pooling layer, checked: a k×k window moved by a stride s over each channel of a
 * C×H×W image, which must tile it exactly, as there is no padding rule: (H − k) and (W − k) are
 * multiples of s. Output: C×OH×OW with OH = (H − k) / s + 1, OW likewise. With s = k (the
 * default, {@code pool2}) the windows do not overlap.
 */
public record PoolWindow(int channels, int height, int width, int size, int stride) {
    public PoolWindow {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException("a pooling window needs a size and a stride of at least 1, got "
                    + size + " and " + stride);
        }
        new Shape(channels, height, width); // checks the input
        if (size > height || size > width) {
            throw new ShapeException(String.format(Locale.ROOT, "its %dx%d window is larger than the %dx%d image",
                    size, size, height, width));
        }
        for (int side : new int[] {height, width}) {
            if ((side - size) % stride != 0) {
                throw new ShapeException(String.format(Locale.ROOT, "a %dx%d window with stride %d does not tile "
                        + "%dx%d: %d − %d is not a multiple of %d, and pooling has no padding", size, size, stride, height,
                        width, side, size, stride));
            }
        }
    }

    /** For an input of {@code in}. */
    public static PoolWindow of(Shape in, int size, int stride) {
        return new PoolWindow(in.channels(), in.height(), in.width(), size, stride);
    }

    public int outHeight() {
        return (height - size) / stride + 1;
    }

    public int outWidth() {
        return (width - size) / stride + 1;
    }

    public Shape input() {
        return new Shape(channels, height, width);
    }

    public Shape output() {
        return new Shape(channels, outHeight(), outWidth());
    }

    /** C·H·W. */
    public int inputSize() {
        return channels * height * width;
    }

    /** C·OH·OW. */
    public int outputSize() {
        return channels * outHeight() * outWidth();
    }

    /** As the layer reads in {@code --layers}, after its kind: {@code 2}, or {@code 3s2} when the stride is not the size. */
    String describe() {
        return size + (stride != size ? "s" + stride : "");
    }
}
