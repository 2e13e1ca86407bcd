package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.optim.Optimizer;

/**
 * What the fused training step does to arrays of one floating-point type {@code A}
 * ({@code double[]} or {@code float[]}), as BLAS has its d- and s- routines. Each method runs on
 * the calling thread over one block of rows; all matrices are row-major.
 *
 * <p>The element-wise passes are flat loops, {@code a[i] op b[i]}, because that is what the JIT
 * compiler of Java 17 turns into vector instructions: a row loop such as
 * {@code z[o + j] += bias[j]} stays scalar, since z and bias might be one array. So the bias goes
 * through the BLAS instead, added by the product (rows preset to the bias, then β = 1) and summed
 * by one (onesᵀ·g); on a 64 × 512 block each loop ran about four times faster that way.
 */
interface Ops<A> {
    A alloc(int n);

    /** An array of n ones. */
    A ones(int n);

    /**
     * Values x[off, off + len) as this type: x itself in float64, read in place; in float32 rounded
     * into {@code buffer} from 0, which is returned.
     */
    A input(double[] x, int off, int len, A buffer);

    /** Rows order[from, from + n) of {@code f} into {@code buffer} from 0, which is returned. */
    A gather(Features f, int[] order, int from, int n, A buffer);

    /** An array to hold a parameter's values as this type: the parameter's own array for float64. */
    A mirror(double[] value);

    /** Copies value[from, to) into its mirror, rounding (nothing to do when the mirror is the value). */
    void refresh(double[] value, A mirror, int from, int to);

    /** C = A·W + bias on every row: a (n, k) from aOff, w (k, m), bias (m), c (n, m). */
    void affine(A a, int aOff, A w, A bias, A c, int n, int k, int m);

    /** C = Aᵀ·B. a (n, k) from aOff, b (n, m), c (k, m). */
    void matmulTransA(A a, int aOff, A b, A c, int n, int k, int m);

    /** C = A·Bᵀ. a (n, k), b (m, k), c (n, m). */
    void matmulTransB(A a, A b, A c, int n, int k, int m);

    /** z ← f(z) over z[0, len), in one flat pass; nothing for f null. */
    void activate(A z, int len, Activation f);

    /**
     * Softmax cross-entropy of each row of logits z (rows, k) against labels[labelOff + r], in
     * one pass per row: copies the logits to {@code logits} (as doubles, from logitsOff), writes
     * {@code scale · (softmax(z) − onehot(y))} into g, and returns Σ_r ℓ_r. Throws for a label
     * outside [0, k). {@code row} (k) is scratch, for the row's exponentials in double.
     */
    double softmaxCrossEntropy(A z, int rows, int k, int[] labels, int labelOff, double scale, A g,
                               double[] logits, int logitsOff, double[] row);

    /**
     * The backward of {@code y = f(z + b)}: g ← g ⊙ f'(y) in one flat pass (nothing when f is
     * null), then {@code biasGrad = Σ_rows g} as the product onesᵀ·g. g, y (rows, cols), ones
     * (at least rows, all 1), biasGrad (cols) overwritten.
     */
    void activationBackward(A g, A y, int rows, int cols, Activation f, A ones, A biasGrad);

    /**
     * The optimizer's update of θ[from, to) of tensor t, this type's θ and g at the same indices.
     * Only where θ is kept in this type: in float64 always; in float32 where the optimizer
     * {@linkplain Optimizer#updatesFloat() updates float}.
     */
    void update(Optimizer optimizer, int t, A theta, int from, int to, A g);

    /** sum[i] += part[i] for i in [from, to). */
    void add(A sum, A part, int from, int to);

    /** out[off + i − from] = a[i] for i in [from, to), widened to double (nothing when a is out there). */
    void widen(A a, int from, int to, double[] out, int off);
}
