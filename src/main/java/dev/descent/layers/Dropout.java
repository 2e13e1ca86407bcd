package dev.descent.layers;

import dev.descent.tensor.Matrix;
import java.util.List;

/**
 * Inverted dropout (Srivastava, Hinton, Krizhevsky, Sutskever and Salakhutdinov (2014),
 * "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", with the scaling done at
 * training time, as PyTorch's {@code nn.Dropout} does): while training, each value is kept with
 * probability 1 − p and scaled by 1/(1 − p), or set to 0; at evaluation it is the identity.
 * Shapes: x: (N, k) -> y: (N, k), no parameters.
 * <pre>
 *   forward    y_i = m_i·x_i / (1 − p)
 *   backward   dx_i = m_i·dy_i / (1 − p)        m_i ∈ {0, 1}, the same mask as forward's
 * </pre>
 *
 * <p>The mask is a function of the value's index i in the batch and of a key, never drawn from
 * a generator's running state: {@code m_i = [u(stream, key, i) ≥ p]} with u a SplitMix64 hash
 * mapped to [0, 1) (Steele, Lea and Flood (2014), "Fast Splittable Pseudorandom Number
 * Generators"). So backward recomputes the mask instead of storing it, every core of the fused
 * step draws the same mask for its rows as the whole batch would, and a step's masks are fixed by
 * its key: the trainer keys each step by the seed, the epoch and the batch, so a run and its
 * resume draw the same masks; the gradient check holds one key while it perturbs θ, so it
 * checks the layer rather than the noise. Until {@link #train} gives a key (and after
 * {@link #evaluate}) it is the identity.
 */
public final class Dropout implements ElementWise {
    private final double p;
    private final long stream; // this layer's own masks: from the run's seed and the layer's place
    private final double scale;
    private volatile boolean active;
    private volatile long key;
    private Matrix output, dInput; // reused from batch to batch

    /**
     * @param p      the probability of dropping each value, in [0, 1)
     * @param stream the layer's own stream of masks (seed and position), so two layers drop differently
     */
    public Dropout(double p, long stream) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("the dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.stream = stream;
        this.scale = 1.0 / (1.0 - p);
    }

    /** A dropout layer of the same probability and masks, in its own state (not training until told). */
    @Override
    public Dropout copy() {
        return new Dropout(p, stream);
    }

    public double probability() {
        return p;
    }

    /** Drops values from now on, by the masks of {@code key}. */
    public void train(long key) {
        this.key = key;
        this.active = true;
    }

    /** The identity from now on. */
    public void evaluate() {
        this.active = false;
    }

    public boolean training() {
        return active;
    }

    /** {@link #train} with {@code key} for every dropout layer of {@code layers}. */
    public static void train(List<Layer> layers, long key) {
        for (Layer l : layers) {
            if (l instanceof Dropout d) {
                d.train(key);
            }
        }
    }

    /** {@link #evaluate} for every dropout layer of {@code layers}. */
    public static void evaluate(List<Layer> layers) {
        for (Layer l : layers) {
            if (l instanceof Dropout d) {
                d.evaluate();
            }
        }
    }

    /** Whether value i of the batch is kept under the current key: u(stream, key, i) ≥ p. */
    private boolean keep(long k, int i) {
        long z = stream + k * 0x9E3779B97F4A7C15L + (i + 1L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 >= p;
    }

    @Override
    public Matrix forward(Matrix x) {
        output = Matrix.reuse(output, x.rows(), x.cols());
        forward(x.data(), output.data(), 0, x.size());
        return output;
    }

    @Override
    public Matrix backward(Matrix dY) {
        dInput = Matrix.reuse(dInput, dY.rows(), dY.cols());
        backward(dY.data(), null, dInput.data(), 0, dY.size());
        return dInput;
    }

    // ---- kernels: forward beside backward, float64 then its float32 twin; i is the batch index --

    @Override
    public void forward(double[] x, double[] y, int off, int len) {
        if (!active) {
            System.arraycopy(x, off, y, off, len);
            return;
        }
        long k = key;
        for (int i = off; i < off + len; i++) {
            y[i] = keep(k, i) ? x[i] * scale : 0.0;
        }
    }

    @Override
    public void forward(float[] x, float[] y, int off, int len) {
        if (!active) {
            System.arraycopy(x, off, y, off, len);
            return;
        }
        long k = key;
        float s = (float) scale;
        for (int i = off; i < off + len; i++) {
            y[i] = keep(k, i) ? x[i] * s : 0f;
        }
    }

    /** dx = m·dy/(1 − p), the mask recomputed from the key; y is not needed. */
    @Override
    public void backward(double[] dy, double[] y, double[] dx, int off, int len) {
        forward(dy, dx, off, len);
    }

    @Override
    public void backward(float[] dy, float[] y, float[] dx, int off, int len) {
        forward(dy, dx, off, len);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public String describeInNetwork() {
        return "dropout " + p;
    }

    @Override
    public String toString() {
        return "dropout " + p;
    }
}
