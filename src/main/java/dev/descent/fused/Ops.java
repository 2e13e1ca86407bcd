package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.gradient.Spsa;
import dev.descent.layers.Dense;
import dev.descent.layers.ElementWise;
import dev.descent.loss.Loss;
import dev.descent.optim.Optimizer;
import java.util.Arrays;

/**
 * The fused step's arrays of one floating-point type {@code A} ({@code double[]} or
 * {@code float[]}), as BLAS has its d- and s- routines: how to allocate them, fill them from the
 * data, keep θ in them, and widen them back to the network's doubles; and which twin of each
 * layer's kernel to call on them. The maths is the layers' and the loss's own: nothing here
 * computes a derivative. Each method runs on the calling thread; all matrices are row-major, and
 * an offset says where a core's rows start.
 */
interface Ops<A> {
    /** float64: the network's own arrays, used in place. */
    Ops<double[]> FLOAT64 = new Float64();

    /** float32: products and element-wise passes in float, θ kept in float beside the network's doubles. */
    Ops<float[]> FLOAT32 = new Float32();

    A alloc(int n);

    /** An array of n ones. */
    A ones(int n);

    /** Whether θ in this type is a copy of the network's parameters (float32), not the parameters themselves. */
    boolean copiesTheta();

    /** x[off, off + len) into buffer[off, off + len) as this type: copied in float64, rounded in float32. */
    void input(double[] x, int off, int len, A buffer);

    /**
     * Columns [c0, c1) of rows order[from, from + n) of {@code f} into {@code buffer} from
     * {@code off}, each where it stands in its row ({@link Features#gather(int[], int, int, double[], int, int, int)}).
     */
    void gather(Features f, int[] order, int from, int n, A buffer, int off, int c0, int c1);

    /** An array to hold a parameter's values as this type: the parameter's own array for float64. */
    A mirror(double[] value);

    /** Copies value[from, to) into its mirror, rounding (nothing to do when the mirror is the value). */
    void refresh(double[] value, A mirror, int from, int to);

    /** out[off + i − from] = a[i] for i in [from, to), widened to double (nothing when a is out there). */
    void widen(A a, int from, int to, double[] out, int off);

    /**
     * The optimizer's update of θ[from, to) of tensor t, this type's θ and g at the same indices.
     * Only where θ is kept in this type: in float64 always; in float32 where the optimizer
     * {@linkplain Optimizer#updatesFloat() updates float}.
     */
    void update(Optimizer optimizer, int t, A theta, int from, int to, A g);

    // ---- the layers', the loss's and SPSA's kernels, in this type -----------------------------

    /** {@link Spsa#perturb}: out[from, to) = θ + c·z in this type; θ (the network's doubles) is only read. */
    void perturb(double[] theta, int from, int to, double c, double[] z, A out);

    /** {@link Spsa#reflect}: out[from, to) = 2θ − out, from θ + c·z to θ − c·z. */
    void reflect(double[] theta, int from, int to, A out);

    /** {@link Spsa#direction}: z = (θ − point) / c over [from, to), the direction of the point θ − c·z. */
    void direction(double[] theta, int from, int to, double c, A point, double[] z);

    /** {@link Dense#forward(double[], int, double[], double[], double[], int, int, int, int)}. */
    void denseForward(A x, int xOff, A w, A b, A y, int yOff, int n, int in, int out);

    /** {@link Dense#weightGradient(double[], double[], double[], int, int, int, int, int, boolean)}, written. */
    void denseWeightGradient(A x, A dY, A dW, int r0, int r1, int n, int in, int out);

    /** {@link Dense#biasGradient(double[], double[], double[], int, int, int, int, boolean)}, written. */
    void denseBiasGradient(A dY, A ones, A db, int c0, int c1, int n, int out);

    /** {@link Dense#inputGradient(double[], int, double[], double[], int, int, int, int)}. */
    void denseInputGradient(A dY, int dyOff, A w, A dx, int dxOff, int n, int in, int out);

    /** {@link ElementWise#forward(double[], double[], int, int)}, in place. */
    void activate(ElementWise f, A z, int off, int len);

    /** {@link ElementWise#forward(double[], double[], int, int)}, from x into y. */
    void forward(ElementWise f, A x, A y, int off, int len);

    /** {@link ElementWise#backward(double[], double[], double[], int, int)}, in place on g. */
    void activationBackward(ElementWise f, A g, A y, int off, int len);

    /** {@link Loss#rows(double[], int, int, int, int[], int, double, double[], double[])}. */
    double lossRows(Loss loss, A z, int off, int n, int k, int[] labels, int labelOff, double scale, A g,
                    double[] scratch);

    /** The float64 arrays: the parameters are used in place, without copies. */
    final class Float64 implements Ops<double[]> {
        private Float64() {}

        @Override
        public double[] alloc(int n) {
            return new double[n];
        }

        @Override
        public double[] ones(int n) {
            double[] ones = new double[n];
            Arrays.fill(ones, 1.0);
            return ones;
        }

        @Override
        public boolean copiesTheta() {
            return false;
        }

        @Override
        public void input(double[] x, int off, int len, double[] buffer) {
            System.arraycopy(x, off, buffer, off, len);
        }

        @Override
        public void gather(Features f, int[] order, int from, int n, double[] buffer, int off, int c0, int c1) {
            f.gather(order, from, n, buffer, off, c0, c1);
        }

        @Override
        public double[] mirror(double[] value) {
            return value;
        }

        @Override
        public void refresh(double[] value, double[] mirror, int from, int to) {
            // the mirror is the value
        }

        @Override
        public void widen(double[] a, int from, int to, double[] out, int off) {
            if (a != out || off != from) {
                System.arraycopy(a, from, out, off, to - from);
            }
        }

        @Override
        public void update(Optimizer optimizer, int t, double[] theta, int from, int to, double[] g) {
            optimizer.update(t, theta, from, to, g, from);
        }

        @Override
        public void perturb(double[] theta, int from, int to, double c, double[] z, double[] out) {
            Spsa.perturb(theta, from, to, c, z, out);
        }

        @Override
        public void reflect(double[] theta, int from, int to, double[] out) {
            Spsa.reflect(theta, from, to, out);
        }

        @Override
        public void direction(double[] theta, int from, int to, double c, double[] point, double[] z) {
            Spsa.direction(theta, from, to, c, point, z);
        }

        @Override
        public void denseForward(double[] x, int xOff, double[] w, double[] b, double[] y, int yOff, int n, int in,
                                 int out) {
            Dense.forward(x, xOff, w, b, y, yOff, n, in, out);
        }

        @Override
        public void denseWeightGradient(double[] x, double[] dY, double[] dW, int r0, int r1, int n, int in, int out) {
            Dense.weightGradient(x, dY, dW, r0, r1, n, in, out, false);
        }

        @Override
        public void denseBiasGradient(double[] dY, double[] ones, double[] db, int c0, int c1, int n, int out) {
            Dense.biasGradient(dY, ones, db, c0, c1, n, out, false);
        }

        @Override
        public void denseInputGradient(double[] dY, int dyOff, double[] w, double[] dx, int dxOff, int n, int in,
                                       int out) {
            Dense.inputGradient(dY, dyOff, w, dx, dxOff, n, in, out);
        }

        @Override
        public void activate(ElementWise f, double[] z, int off, int len) {
            f.forward(z, z, off, len);
        }

        @Override
        public void forward(ElementWise f, double[] x, double[] y, int off, int len) {
            f.forward(x, y, off, len);
        }

        @Override
        public void activationBackward(ElementWise f, double[] g, double[] y, int off, int len) {
            f.backward(g, y, g, off, len);
        }

        @Override
        public double lossRows(Loss loss, double[] z, int off, int n, int k, int[] labels, int labelOff, double scale,
                               double[] g, double[] scratch) {
            return loss.rows(z, off, n, k, labels, labelOff, scale, g, scratch);
        }
    }

    /** The float32 arrays: θ in float beside the network's doubles, widened back exactly. */
    final class Float32 implements Ops<float[]> {
        private Float32() {}

        @Override
        public float[] alloc(int n) {
            return new float[n];
        }

        @Override
        public float[] ones(int n) {
            float[] ones = new float[n];
            Arrays.fill(ones, 1f);
            return ones;
        }

        @Override
        public boolean copiesTheta() {
            return true;
        }

        @Override
        public void input(double[] x, int off, int len, float[] buffer) {
            for (int i = off; i < off + len; i++) {
                buffer[i] = (float) x[i];
            }
        }

        @Override
        public void gather(Features f, int[] order, int from, int n, float[] buffer, int off, int c0, int c1) {
            f.gather(order, from, n, buffer, off, c0, c1);
        }

        @Override
        public float[] mirror(double[] value) {
            return new float[value.length];
        }

        @Override
        public void refresh(double[] value, float[] mirror, int from, int to) {
            for (int i = from; i < to; i++) {
                mirror[i] = (float) value[i];
            }
        }

        @Override
        public void widen(float[] a, int from, int to, double[] out, int off) {
            int shift = off - from;
            for (int i = from; i < to; i++) {
                out[i + shift] = a[i];
            }
        }

        @Override
        public void update(Optimizer optimizer, int t, float[] theta, int from, int to, float[] g) {
            optimizer.update(t, theta, from, to, g);
        }

        @Override
        public void perturb(double[] theta, int from, int to, double c, double[] z, float[] out) {
            Spsa.perturb(theta, from, to, c, z, out);
        }

        @Override
        public void reflect(double[] theta, int from, int to, float[] out) {
            Spsa.reflect(theta, from, to, out);
        }

        @Override
        public void direction(double[] theta, int from, int to, double c, float[] point, double[] z) {
            Spsa.direction(theta, from, to, c, point, z);
        }

        @Override
        public void denseForward(float[] x, int xOff, float[] w, float[] b, float[] y, int yOff, int n, int in,
                                 int out) {
            Dense.forward(x, xOff, w, b, y, yOff, n, in, out);
        }

        @Override
        public void denseWeightGradient(float[] x, float[] dY, float[] dW, int r0, int r1, int n, int in, int out) {
            Dense.weightGradient(x, dY, dW, r0, r1, n, in, out, false);
        }

        @Override
        public void denseBiasGradient(float[] dY, float[] ones, float[] db, int c0, int c1, int n, int out) {
            Dense.biasGradient(dY, ones, db, c0, c1, n, out, false);
        }

        @Override
        public void denseInputGradient(float[] dY, int dyOff, float[] w, float[] dx, int dxOff, int n, int in,
                                       int out) {
            Dense.inputGradient(dY, dyOff, w, dx, dxOff, n, in, out);
        }

        @Override
        public void activate(ElementWise f, float[] z, int off, int len) {
            f.forward(z, z, off, len);
        }

        @Override
        public void forward(ElementWise f, float[] x, float[] y, int off, int len) {
            f.forward(x, y, off, len);
        }

        @Override
        public void activationBackward(ElementWise f, float[] g, float[] y, int off, int len) {
            f.backward(g, y, g, off, len);
        }

        @Override
        public double lossRows(Loss loss, float[] z, int off, int n, int k, int[] labels, int labelOff, double scale,
                               float[] g, double[] scratch) {
            return loss.rows(z, off, n, k, labels, labelOff, scale, g, scratch);
        }
    }
}
