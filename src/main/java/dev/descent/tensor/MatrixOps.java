package dev.descent.tensor;

/**
 * The small, named set of matrix primitives every layer, loss and optimizer is written in.
 *
 * <p>Large products go to the system's BLAS when one is installed ({@link NativeProducts});
 * everything else, and every product on a machine without one, runs in the Java loops below.
 *
 * <p>Shapes use N for rows of a batch, and each method states which argument it modifies: only
 * the argument named {@code out} (or, for the {@code InPlace} methods, the first) is written.
 * Loops run in i-k-j order so the innermost loop walks both operands contiguously.
 */
public final class MatrixOps {
    private MatrixOps() {}

    /** Rows of b (the shared dimension) per block, so a block of b stays in the L2 cache. */
    static final int K_BLOCK = 128;

    /**
     * {@code out = a · b}, i.e. {@code out_ij = Σ_k a_ik b_kj}. a: (n, k)  b: (k, m)  out: (n, m).
     * Blocked over k so that a block of b is reused from cache by every row of a; rows are split
     * across cores for large products.
     */
    public static void matmul(Matrix a, Matrix b, Matrix out) {
        requireInner(a.cols(), b.rows(), a, b, "matmul");
        requireShape(out, a.rows(), b.cols(), "matmul output");
        double[] A = a.data(), B = b.data(), C = out.data();
        int n = a.rows(), k = a.cols(), m = b.cols();
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmul(A, B, C, n, k, m);
        } else {
            javaMatmul(A, B, C, n, k, m);
        }
    }

    /** The Java kernel of {@link #matmul}: C = A·B, a (n, k), b (k, m), c (n, m). */
    static void javaMatmul(double[] A, double[] B, double[] C, int n, int k, int m) {
        Parallel.rows(n, (long) n * k * m, (from, to) -> {
            java.util.Arrays.fill(C, from * m, to * m, 0.0);
            for (int kb = 0; kb < k; kb += K_BLOCK) {
                int kend = Math.min(k, kb + K_BLOCK);
                for (int i = from; i < to; i++) {
                    int ci = i * m, ai = i * k;
                    for (int p = kb; p < kend; p++) {
                        double aip = A[ai + p];
                        if (aip == 0.0) {
                            continue;
                        }
                        int bp = p * m;
                        for (int j = 0; j < m; j++) {
                            C[ci + j] += aip * B[bp + j];
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code out += aᵀ · b}, i.e. {@code out_ij += Σ_n a_ni b_nj}. a: (n, k)  b: (n, m)  out: (k, m).
     * Each row of out is finished in turn while it sits in cache; rows are split across cores.
     */
    public static void addMatmulTransA(Matrix a, Matrix b, Matrix out) {
        requireInner(a.rows(), b.rows(), a, b, "addMatmulTransA");
        requireShape(out, a.cols(), b.cols(), "addMatmulTransA output");
        double[] A = a.data(), B = b.data(), C = out.data();
        int n = a.rows(), k = a.cols(), m = b.cols();
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.addMatmulTransA(A, B, C, n, k, m);
        } else {
            javaAddMatmulTransA(A, B, C, n, k, m);
        }
    }

    /** The Java kernel of {@link #addMatmulTransA}: C += Aᵀ·B, a (n, k), b (n, m), c (k, m). */
    static void javaAddMatmulTransA(double[] A, double[] B, double[] C, int n, int k, int m) {
        Parallel.rows(k, (long) n * k * m, (from, to) -> {
            for (int i = from; i < to; i++) {
                int ci = i * m;
                for (int r = 0; r < n; r++) {
                    double ari = A[r * k + i];
                    if (ari == 0.0) {
                        continue;
                    }
                    int br = r * m;
                    for (int j = 0; j < m; j++) {
                        C[ci + j] += ari * B[br + j];
                    }
                }
            }
        });
    }

    /**
     * {@code out = a · bᵀ}, i.e. {@code out_ij = Σ_k a_ik b_jk}. a: (n, k)  b: (m, k)  out: (n, m).
     * Computed as {@code a · t} with t = bᵀ written into {@code scratch}: (k, m), so the inner loop
     * runs along rows and vectorises. Modifies out and scratch.
     */
    public static void matmulTransB(Matrix a, Matrix b, Matrix out, Matrix scratch) {
        requireInner(a.cols(), b.cols(), a, b, "matmulTransB");
        requireShape(out, a.rows(), b.rows(), "matmulTransB output");
        if (NativeProducts.worthIt((long) a.rows() * a.cols() * b.rows())) {
            NativeProducts.matmulTransB(a.data(), b.data(), out.data(), a.rows(), a.cols(), b.rows());
            return;
        }
        transpose(b, scratch);
        matmul(a, scratch, out);
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
