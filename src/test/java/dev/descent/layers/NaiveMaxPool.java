package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * Max pooling written by hand, as direct loops: with {@link #GRADIENT_TO_ALL}, the backward that
 * sends each window's gradient to every input of the window rather than to its maximum, for the
 * gradient check to catch.
 */
final class NaiveMaxPool implements Layer {
    static final boolean GRADIENT_TO_ALL = true;

    private final PoolWindow win;
    private final boolean toAll;
    private Matrix x;

    NaiveMaxPool(PoolWindow win, boolean toAll) {
        this.win = win;
        this.toAll = toAll;
    }

    private int at(int c, int iy, int ix) {
        return (c * win.height() + iy) * win.width() + ix;
    }

    /** The index, in its image, of the maximum of the window of output (c, oy, ox). */
    private int argmax(double[] v, int img, int c, int oy, int ox) {
        int best = at(c, oy * win.stride(), ox * win.stride());
        for (int ky = 0; ky < win.size(); ky++) {
            for (int kx = 0; kx < win.size(); kx++) {
                int j = at(c, oy * win.stride() + ky, ox * win.stride() + kx);
                if (v[img + j] > v[img + best]) {
                    best = j;
                }
            }
        }
        return best;
    }

    @Override
    public Matrix forward(Matrix input) {
        x = input;
        Matrix y = new Matrix(input.rows(), win.outputSize());
        for (int n = 0, o = 0; n < input.rows(); n++) {
            int img = n * win.inputSize();
            for (int c = 0; c < win.channels(); c++) {
                for (int oy = 0; oy < win.outHeight(); oy++) {
                    for (int ox = 0; ox < win.outWidth(); ox++, o++) {
                        y.data()[o] = input.data()[img + argmax(input.data(), img, c, oy, ox)];
                    }
                }
            }
        }
        return y;
    }

    @Override
    public Matrix backward(Matrix dY) {
        Matrix dx = new Matrix(x.rows(), win.inputSize());
        for (int n = 0, o = 0; n < x.rows(); n++) {
            int img = n * win.inputSize();
            for (int c = 0; c < win.channels(); c++) {
                for (int oy = 0; oy < win.outHeight(); oy++) {
                    for (int ox = 0; ox < win.outWidth(); ox++, o++) {
                        if (!toAll) {
                            dx.data()[img + argmax(x.data(), img, c, oy, ox)] += dY.data()[o];
                            continue;
                        }
                        for (int ky = 0; ky < win.size(); ky++) {
                            for (int kx = 0; kx < win.size(); kx++) {
                                dx.data()[img + at(c, oy * win.stride() + ky, ox * win.stride() + kx)] += dY.data()[o];
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public int outputSize(int inputSize) {
        return win.outputSize();
    }

    @Override
    public Shape outputShape(Shape input) {
        return win.output();
    }

    @Override
    public String kind() {
        return "maxpool";
    }
}
