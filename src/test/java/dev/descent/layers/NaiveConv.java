package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * A convolution written the way one writes it by hand, as direct loops over every filter,
 * channel, output position and kernel entry: an independent check of {@link Conv2d}'s products,
 * and, with a {@link Bug}, the backward passes hand-written convolutions get wrong, for the
 * gradient check to catch. Its parameters are a Conv2d's (F, C·k·k) and (1, F).
 */
final class NaiveConv implements Layer {
    /** A mistake in the backward pass; the forward pass is always right. */
    enum Bug {
        NONE,
        /** dx taken with the kernel rotated by 180° (as if the forward were a true convolution). */
        FLIPPED_KERNEL,
        /** dx taken as if the padding were one less than the forward's. */
        PADDING_OFF_BY_ONE,
        /** dx and dW taken as if the stride were 1. */
        STRIDE_IGNORED
    }

    private final Conv2d.Geometry g;
    private final Parameter w, b;
    private final Bug bug;
    private Matrix x;

    NaiveConv(Conv2d.Geometry g, Matrix weights, Matrix bias, Bug bug) {
        this.g = g;
        this.w = new Parameter("W", weights);
        this.b = new Parameter("b", bias);
        this.bug = bug;
    }

    private double in(double[] x, int img, int c, int iy, int ix) {
        return iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width() ? 0
                : x[img + (c * g.height() + iy) * g.width() + ix];
    }

    private int weight(int f, int c, int ky, int kx) {
        return ((f * g.channels() + c) * g.kernel() + ky) * g.kernel() + kx;
    }

    @Override
    public Matrix forward(Matrix input) {
        x = input;
        int oh = g.outHeight(), ow = g.outWidth(), k = g.kernel();
        Matrix y = new Matrix(input.rows(), g.outputSize());
        for (int n = 0; n < input.rows(); n++) {
            int img = n * g.inputSize();
            for (int f = 0; f < g.filters(); f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = b.value().data()[f];
                        for (int c = 0; c < g.channels(); c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    s += w.value().data()[weight(f, c, ky, kx)] * in(input.data(), img, c,
                                            oy * g.stride() - g.padding() + ky, ox * g.stride() - g.padding() + kx);
                                }
                            }
                        }
                        y.data()[n * g.outputSize() + (f * oh + oy) * ow + ox] = s;
                    }
                }
            }
        }
        return y;
    }

    @Override
    public Matrix backward(Matrix dY) {
        int oh = g.outHeight(), ow = g.outWidth(), k = g.kernel();
        int stride = bug == Bug.STRIDE_IGNORED ? 1 : g.stride();
        int pad = bug == Bug.PADDING_OFF_BY_ONE ? g.padding() - 1 : g.padding();
        Matrix dx = new Matrix(x.rows(), g.inputSize());
        for (int n = 0; n < x.rows(); n++) {
            int img = n * g.inputSize();
            for (int f = 0; f < g.filters(); f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double d = dY.data()[n * g.outputSize() + (f * oh + oy) * ow + ox];
                        b.grad().data()[f] += d;
                        for (int c = 0; c < g.channels(); c++) {
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    int iy = oy * stride - g.padding() + ky, ix = ox * stride - g.padding() + kx;
                                    w.grad().data()[weight(f, c, ky, kx)] += d * in(x.data(), img, c, iy, ix);
                                    int dy = oy * stride - pad + ky, dxCol = ox * stride - pad + kx;
                                    if (dy < 0 || dy >= g.height() || dxCol < 0 || dxCol >= g.width()) {
                                        continue;
                                    }
                                    int kernel = bug == Bug.FLIPPED_KERNEL ? weight(f, c, k - 1 - ky, k - 1 - kx)
                                            : weight(f, c, ky, kx);
                                    dx.data()[img + (c * g.height() + dy) * g.width() + dxCol] +=
                                            d * w.value().data()[kernel];
                                }
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
        return List.of(w, b);
    }

    @Override
    public int outputSize(int inputSize) {
        return g.outputSize();
    }

    @Override
    public Shape outputShape(Shape input) {
        return g.output();
    }

    @Override
    public String kind() {
        return "conv";
    }
}
