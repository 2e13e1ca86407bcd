package dev.descent.fused;

import dev.descent.data.Features;
import dev.descent.layers.Activation;

/**
 * What the fused training step does to arrays of one floating-point type {@code A}
 * ({@code double[]} or {@code float[]}), as BLAS has its d- and s- routines. Each method runs on
 * the calling thread over one block of rows; all matrices are row-major.
 */
interface Ops<A> {
    A alloc(int n);

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

    /** C = A·B. a (n, k) from aOff, b (k, m), c (n, m). */
    void matmul(A a, int aOff, A b, A c, int n, int k, int m);

    /** C = Aᵀ·B. a (n, k) from aOff, b (n, m), c (k, m). */
    void matmulTransA(A a, int aOff, A b, A c, int n, int k, int m);

    /** C = A·Bᵀ. a (n, k), b (m, k), c (n, m). */
    void matmulTransB(A a, A b, A c, int n, int k, int m);

    /** z ← f(z + bias) row by row, in one pass. z (rows, cols), bias (cols); f null for none. */
    void biasActivate(A z, int rows, int cols, A bias, Activation f);

    /**
     * Softmax cross-entropy of each row of logits z (rows, k) against labels[labelOff + r], in
     * one pass per row: copies the logits to {@code logits} (as doubles, from logitsOff), writes
     * {@code scale · (softmax(z) − onehot(y))} into g, and returns Σ_r ℓ_r. Throws for a label
     * outside [0, k).
     */
    double softmaxCrossEntropy(A z, int rows, int k, int[] labels, int labelOff, double scale, A g,
                               double[] logits, int logitsOff);

    /**
     * The backward of {@code y = f(z + b)} in one pass: g ← g ⊙ f'(y) (nothing when f is null),
     * then {@code bias = Σ_rows g}. g, y (rows, cols), bias (cols) overwritten.
     */
    void activationBackward(A g, A y, int rows, int cols, Activation f, A biasGrad);

    /** out[off + i − from] = part[i] (or += when {@code add}) for i in [from, to), widened to double. */
    void reduce(A part, int from, int to, double[] out, int off, boolean add);
}
