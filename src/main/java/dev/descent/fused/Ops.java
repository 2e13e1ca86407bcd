package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;
import dev.descent.optim.Optimizer;

/**
 * What the fused training step does to arrays of one floating-point type {@code A}
 * ({@code double[]} or {@code float[]}), as BLAS has its d- and s- routines. Each method runs on
 * the calling thread; all matrices are row-major, and an offset says where a core's rows start.
 *
 * <p>The element-wise passes are flat loops, {@code a[i] op b[i]}, because that is what the JIT
 * compiler of Java 17 turns into vector instructions: a row loop such as
 * {@code z[o + j] += bias[j]} stays scalar, since z and bias might be one array. So the bias goes
 * through the BLAS instead, added by the product (rows preset to the bias, then β = 1) and summed
 * by one (gᵀ·ones); on a 64 × 512 block each loop ran about four times faster that way.
 */
interface Ops<A> {
    A alloc(int n);

    /** An array of n ones. */
    A ones(int n);

    /** x[off, off + len) into buffer[off, off + len) as this type: copied in float64, rounded in float32. */
    void input(double[] x, int off, int len, A buffer);

    /** Rows order[from, from + n) of {@code f} into {@code buffer} from {@code off}. */
    void gather(Features f, int[] order, int from, int n, A buffer, int off);

    /** An array to hold a parameter's values as this type: the parameter's own array for float64. */
    A mirror(double[] value);

    /** Copies value[from, to) into its mirror, rounding (nothing to do when the mirror is the value). */
    void refresh(double[] value, A mirror, int from, int to);

    /** C = A·W + bias on every row: a (n, k) from aOff, w (k, m), bias (m), c (n, m) from cOff. */
    void affine(A a, int aOff, A w, A bias, A c, int cOff, int n, int k, int m);

    /** C = Aᵀ·B: a (n, k) from aOff with rows lda apart, b (n, m), c (k, m) from cOff. */
    void matmulTransA(A a, int aOff, int lda, A b, A c, int cOff, int n, int k, int m);

    /** C = A·Bᵀ: a (n, k) from aOff, b (m, k), c (n, m) from cOff. */
    void matmulTransB(A a, int aOff, A b, A c, int cOff, int n, int k, int m);

    /** z ← f(z) over z[off, off + len), in one flat pass; nothing for f null. */
    void activate(A z, int off, int len, Activation f);

    /**
     * Softmax cross-entropy of the rows of logits z (rows, k) from {@code off} against
     * labels[labelOff + r], in one pass per row: copies the logits to {@code logits} (as doubles,
     * at the same offset), writes {@code scale · (softmax(z) − onehot(y))} into g (at the same
     * offset), and returns Σ_r ℓ_r. Throws for a label outside [0, k). {@code row} (k) is
     * scratch, for a row's exponentials in double.
     */
    double softmaxCrossEntropy(A z, int off, int rows, int k, int[] labels, int labelOff, double scale, A g,
                               double[] logits, double[] row);

    /**
     * The backward of {@code y = f(z + b)} through f: g ← g ⊙ f'(y) over [off, off + len), in one
     * flat pass (nothing when f is null).
     */
    void activationBackward(A g, A y, int off, int len, Activation f);

    /**
     * The optimizer's update of θ[from, to) of tensor t, this type's θ and g at the same indices.
     * Only where θ is kept in this type: in float64 always; in float32 where the optimizer
     * {@linkplain Optimizer#updatesFloat() updates float}.
     */
    void update(Optimizer optimizer, int t, A theta, int from, int to, A g);

    /** out[off + i − from] = a[i] for i in [from, to), widened to double (nothing when a is out there). */
    void widen(A a, int from, int to, double[] out, int off);
}
