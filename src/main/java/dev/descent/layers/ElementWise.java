package dev.descent.layers;

/**
 * A layer applied to each value on its own, {@code y = f(x)}, whose slope is a function of its
 * output, {@code f'(x) = g(y)}: the shape both schedules of backpropagation run from the same
 * kernels. Shapes: x: (N, k) -> y: (N, k), no parameters.
 *
 * <p>The kernels work on flat arrays over {@code [off, off + len)}, in float64 and in float32;
 * the reference schedule ({@link Layer#forward}, {@link Layer#backward}) calls them on the whole
 * batch, the fused one on each core's rows. {@link Activation} implements it for relu, sigmoid and
 * tanh; a user's own element-wise layer that implements it trains on the fused schedule too.
 */
public interface ElementWise extends Layer {
    /** y[i] = f(x[i]) for i in [off, off + len); y may be x. */
    void forward(double[] x, double[] y, int off, int len);

    /** The float32 twin of {@link #forward(double[], double[], int, int)}. */
    void forward(float[] x, float[] y, int off, int len);

    /** dx[i] = dy[i]·f'(y[i]) for i in [off, off + len), y the forward's output; dx may be dy. */
    void backward(double[] dy, double[] y, double[] dx, int off, int len);

    /** The float32 twin of {@link #backward(double[], double[], double[], int, int)}. */
    void backward(float[] dy, float[] y, float[] dx, int off, int len);

    /**
     * Whether this is a rectifier (ReLU): a unit passes no gradient where it outputs 0, so one that
     * outputs 0 for every input is dead; and He's initialisation suits it. False by default.
     */
    default boolean rectifies() {
        return false;
    }

    /** Whether a unit of a rectifier is active at output y, passing gradient (ReLU: y > 0). */
    default boolean activeAt(double y) {
        return true;
    }

    /**
     * How far an output y is from the nearest limit where the slope vanishes (sigmoid's 0 and 1,
     * tanh's ±1): a unit near one on nearly every sample is saturated. Infinite for an activation
     * without such limits (the default).
     */
    default double fromLimit(double y) {
        return Double.POSITIVE_INFINITY;
    }

    /** Whether this activation has limits where its slope vanishes, so that its units can saturate. */
    default boolean saturates() {
        return false;
    }

    /** Each value on its own: the output has the input's shape, an image's included. */
    @Override
    default Shape outputShape(Shape input) {
        return input;
    }
}
