package dev.descent.layers;

import java.io.Serializable;
import java.util.Locale;

/**
 * The shape of one image, channels first, {@code C×H×W}: a row of a batch holds its C·H·W values
 * channel by channel, each channel row by row, as PyTorch lays out a tensor of shape (C, H, W).
 * A value at channel c, row y, column x is at {@code (c·H + y)·W + x}.
 *
 * @param channels C, at least 1
 * @param height   H, at least 1
 * @param width    W, at least 1
 */
public record Shape(int channels, int height, int width) implements Serializable {
    public Shape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image shape needs at least 1 channel, row and column, got "
                    + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an image of " + channels + "x" + height + "x" + width
                    + " has more values than a row can hold");
        }
    }

    /** C·H·W: the values of one image, the width of a row. */
    public int size() {
        return channels * height * width;
    }

    /** H·W: the values of one channel. */
    public int pixels() {
        return height * width;
    }

    /**
     * {@code 1,28,28} or {@code 1x28x28}: channels, height, width.
     *
     * @throws IllegalArgumentException naming the text when it is not three positive whole numbers
     */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("\\s*[,xX]\\s*", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not an image shape C,H,W such as 1,28,28");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an image shape C,H,W such as 1,28,28");
            }
        }
        return new Shape(v[0], v[1], v[2]);
    }

    /** {@code 1x28x28}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%dx%d", channels, height, width);
    }
}
