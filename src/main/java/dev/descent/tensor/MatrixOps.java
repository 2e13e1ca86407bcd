package dev.descent.tensor;

/**
 * The small, named set of matrix primitives every layer, loss and optimizer is written in.
 *
 * <p>Products are {@link Products}' kernels, split across cores by rows; large ones go to the
 * system's BLAS when one is installed ({@link NativeProducts}).
 *
 * <p>Shapes use N for rows of a batch, and each method states which argument it modifies: only
 * the argument named {@code out} (or, for the {@code InPlace} methods, the first) is written.
 */
public final class MatrixOps {
    private MatrixOps() {}

    /**
     * {@code out = a · b}, i.e. {@code out_ij = Σ_k a_ik b_kj}. a: (n, k)  b: (k, m)  out: (n, m).
     * Rows are split across cores for large products.
     */
    public static void matmul(Matrix a, Matrix b, Matrix out) {
        requireInner(a.cols(), b.rows(), a, b, "matmul");
        requireShape(out, a.rows(), b.cols(), "matmul output");
        double[] A = a.data(), B = b.data(), C = out.data();
        int k = a.cols(), m = b.cols();
        splitRows(a.rows(), (long) a.rows() * k * m,
                (from, to) -> Products.matmul(A, from * k, B, C, from * m, to - from, k, m));
    }

    /**
     * {@code out += aᵀ · b}, i.e. {@code out_ij += Σ_n a_ni b_nj}. a: (n, k)  b: (n, m)  out: (k, m).
     * Rows of out are split across cores by the Java kernels.
     */
    public static void addMatmulTransA(Matrix a, Matrix b, Matrix out) {
        requireInner(a.rows(), b.rows(), a, b, "addMatmulTransA");
        requireShape(out, a.cols(), b.cols(), "addMatmulTransA output");
        double[] A = a.data(), B = b.data(), C = out.data();
        int n = a.rows(), k = a.cols(), m = b.cols();
        long work = (long) n * k * m;
        splitOutputRows(k, work, (from, to) -> Products.matmulTransA(A, from, k, B, 0, C, from * m, n, to - from, m, true));
    }

    /**
     * Runs a product of the form {@code out = aᵀ·b} over the rows [0, k) of out, which are the
     * columns of a: split across cores for the Java kernels; in one call for the native BLAS,
     * whose bounds check refuses a block of a's columns (rows lda apart) that ends short of lda.
     */
    public static void splitOutputRows(int k, long work, Parallel.Rows body) {
        if (NativeProducts.worthIt(work)) {
            body.run(0, k);
        } else {
            Parallel.rows(k, work, body);
        }
    }

    /**
     * {@code out = a · bᵀ}, i.e. {@code out_ij = Σ_k a_ik b_jk}. a: (n, k)  b: (m, k)  out: (n, m).
     * Without a native BLAS it is computed as {@code a · t} with t = bᵀ written into
     * {@code scratch}: (k, m), so the inner loop runs along rows and vectorises. Modifies out and scratch.
     */
    public static void matmulTransB(Matrix a, Matrix b, Matrix out, Matrix scratch) {
        requireInner(a.cols(), b.cols(), a, b, "matmulTransB");
        requireShape(out, a.rows(), b.rows(), "matmulTransB output");
        double[] A = a.data(), B = b.data(), C = out.data();
        int k = a.cols(), m = b.rows();
        long work = (long) a.rows() * k * m;
        if (NativeProducts.worthIt(work)) {
            splitRows(a.rows(), work, (from, to) -> Products.matmulTransB(A, from * k, B, C, from * m, to - from, k, m));
            return;
        }
        transpose(b, scratch);
        matmul(a, scratch, out);
    }

    /**
     * Runs a product over rows [0, n), split across cores by Descent whatever OpenBLAS's own threads
     * (a product's rows are independent, so the split changes no number; it is the same split on
     * every run of a machine).
     */
    public static void splitRows(int n, long work, Parallel.Rows body) {
        Parallel.rows(n, work, body);
    }

    /** {@code out = a · bᵀ}, allocating the transpose. */
    public static void matmulTransB(Matrix a, Matrix b, Matrix out) {
        matmulTransB(a, b, out, new Matrix(b.cols(), b.rows()));
    }

    /** {@code out = mᵀ}. m: (r, c)  out: (c, r). Modifies out. */
    public static void transpose(Matrix m, Matrix out) {
        requireShape(out, m.cols(), m.rows(), "transpose output");
        double[] M = m.data(), O = out.data();
        int r = m.rows(), c = m.cols();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                O[j * r + i] = M[i * c + j];
            }
        }
    }

    /** Adds the row vector {@code v} to every row of {@code m}. m: (n, k)  v: (1, k). Modifies m. */
    public static void addRowVectorInPlace(Matrix m, Matrix v) {
        requireShape(v, 1, m.cols(), "row vector");
        double[] M = m.data(), V = v.data();
        int k = m.cols();
        for (int r = 0; r < m.rows(); r++) {
            int o = r * k;
            for (int j = 0; j < k; j++) {
                M[o + j] += V[j];
            }
        }
    }

    /** {@code out += column sums of m}. m: (n, k)  out: (1, k). Modifies out. */
    public static void addColumnSums(Matrix m, Matrix out) {
        requireShape(out, 1, m.cols(), "column sums");
        double[] M = m.data(), O = out.data();
        int k = m.cols();
        for (int r = 0; r < m.rows(); r++) {
            int o = r * k;
            for (int j = 0; j < k; j++) {
                O[j] += M[o + j];
            }
        }
    }

    /** {@code y += alpha · x}. Modifies y. */
    public static void axpyInPlace(Matrix y, double alpha, Matrix x) {
        requireSameShape(y, x, "axpy");
        double[] Y = y.data(), X = x.data();
        for (int i = 0; i < Y.length; i++) {
            Y[i] += alpha * X[i];
        }
    }

    /** {@code m *= alpha}. Modifies m. */
    public static void scaleInPlace(Matrix m, double alpha) {
        double[] M = m.data();
        for (int i = 0; i < M.length; i++) {
            M[i] *= alpha;
        }
    }

    /** Which kernels multiply large matrices here: the native BLAS, or Descent's Java kernels. */
    public static String kernels() {
        return NativeProducts.describe();
    }

    /** Index of the largest entry of row r (the first, on ties). */
    public static int argmaxRow(Matrix m, int r) {
        double[] M = m.data();
        int o = r * m.cols();
        int best = 0;
        for (int j = 1; j < m.cols(); j++) {
            if (M[o + j] > M[o + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Throws unless a and b have the same shape, naming both: {@code "axpy: 3x4 vs 4x3"}. */
    public static void requireSameShape(Matrix a, Matrix b, String what) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new ShapeException(what + ": " + a.shape() + " vs " + b.shape());
        }
    }

    private static void requireInner(int left, int right, Matrix a, Matrix b, String what) {
        if (left != right) {
            throw new ShapeException(what + ": " + a.shape() + " and " + b.shape()
                    + " do not chain (" + left + " vs " + right + ")");
        }
    }

    private static void requireShape(Matrix m, int rows, int cols, String what) {
        if (m.rows() != rows || m.cols() != cols) {
            throw new ShapeException(what + ": expected " + rows + "x" + cols + ", got " + m.shape());
        }
    }
}
