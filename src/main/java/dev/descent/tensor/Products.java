package dev.descent.tensor;

import java.util.Arrays;

/**
 * The three matrix products of a dense layer (and of a convolution, image by image), on row-major
 * arrays with offsets, in float64 and float32, each run on the calling thread: by the native BLAS
 * when one is loaded and the product is large enough ({@link NativeProducts}), else by the Java
 * loops below.
 *
 * <p>Shapes (all row-major; {@code aOff}, {@code bOff}, {@code cOff} say where a block starts):
 * <pre>
 *   matmul        C = β·C + A·B    a (n, k)   b (k, m)   c (n, m)
 *   matmulTransA  C = β·C + Aᵀ·B   a (n, k)   b (n, m)   c (k, m)   rows of a are lda apart
 *   matmulTransB  C = A·Bᵀ         a (n, k)   b (m, k)   c (n, m)   (or β·C + A·Bᵀ, b from bOff)
 * </pre>
 * {@link MatrixOps} splits these across cores; the fused training step calls them from one core
 * per block of rows. The Java loops run in i-k-j order (or as dot products for {@code A·Bᵀ}) so
 * the innermost loop walks memory contiguously, blocked over k so a block of b stays in cache.
 */
public final class Products {
    private Products() {}

    /** Rows of b (the shared dimension) per block of the Java kernel, so a block of b stays in the L2 cache. */
    static final int K_BLOCK = 128;

    // ---- float64 ------------------------------------------------------------------------------

    /** C = A·B. a (n, k) from aOff, b (k, m), c (n, m) from cOff. Writes c only. */
    public static void matmul(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m) {
        matmul(a, aOff, b, c, cOff, n, k, m, false);
    }

    /** C = β·C + A·B, β 1 when {@code accumulate}, else 0. a (n, k) from aOff, b (k, m), c (n, m) from cOff. */
    public static void matmul(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m,
                              boolean accumulate) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmul(a, aOff, b, c, cOff, n, k, m, accumulate ? 1.0 : 0.0);
        } else {
            javaMatmul(a, aOff, b, c, cOff, n, k, m, accumulate);
        }
    }

    static void javaMatmul(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m,
                           boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + n * m, 0.0);
        }
        for (int kb = 0; kb < k; kb += K_BLOCK) {
            int kend = Math.min(k, kb + K_BLOCK);
            for (int i = 0; i < n; i++) {
                int ci = cOff + i * m, ai = aOff + i * k;
                for (int p = kb; p < kend; p++) {
                    double aip = a[ai + p];
                    if (aip == 0.0) {
                        continue; // ReLU outputs and one-hot pixels are often zero
                    }
                    int bp = p * m;
                    for (int j = 0; j < m; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    /** C = β·C + Aᵀ·B, β 0 or 1. a (n, k) from aOff with rows lda apart, b (n, m) from bOff, c (k, m). */
    public static void matmulTransA(double[] a, int aOff, int lda, double[] b, int bOff, double[] c, int cOff,
                                    int n, int k, int m, boolean accumulate) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmulTransA(a, aOff, lda, b, bOff, c, cOff, n, k, m, accumulate ? 1.0 : 0.0);
        } else {
            javaMatmulTransA(a, aOff, lda, b, bOff, c, cOff, n, k, m, accumulate);
        }
    }

    static void javaMatmulTransA(double[] a, int aOff, int lda, double[] b, int bOff, double[] c, int cOff,
                                    int n, int k, int m, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + k * m, 0.0);
        }
        if (m == 1) { // c = aᵀ·b with b a column, such as a bias gradient's ones: see javaColumnProduct
            javaColumnProduct(a, aOff, lda, b, bOff, c, cOff, n, k);
            return;
        }
        for (int i = 0; i < k; i++) {
            int ci = cOff + i * m;
            for (int r = 0; r < n; r++) {
                double ari = a[aOff + r * lda + i];
                if (ari == 0.0) {
                    continue;
                }
                int br = bOff + r * m;
                for (int j = 0; j < m; j++) {
                    c[ci + j] += ari * b[br + j];
                }
            }
        }
    }

    /**
     * c[0, k) += aᵀ·b for a column b (n): row by row, so the inner loop runs along a row of a.
     * Each c[i] is summed over the rows in order, as the general loop sums it, but without its
     * test for a zero in a: with one multiply-add per test the test costs more than it saves, and
     * on a ReLU layer's gradient, half zeros at random, it is mispredicted half the time. (The
     * fmnist-mlp step's bias gradient, onesᵀ·g over 128 rows and 64 columns: 44 µs with the test,
     * a few without.)
     */
    static void javaColumnProduct(double[] a, int aOff, int lda, double[] b, int bOff, double[] c, int cOff,
                                  int n, int k) {
        for (int r = 0; r < n; r++) {
            double br = b[bOff + r];
            int ar = aOff + r * lda;
            for (int i = 0; i < k; i++) {
                c[cOff + i] += a[ar + i] * br;
            }
        }
    }

    /** C = A·Bᵀ. a (n, k) from aOff, b (m, k), c (n, m) from cOff. Writes c only. */
    public static void matmulTransB(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmulTransB(a, aOff, b, c, cOff, n, k, m);
        } else {
            javaMatmulTransB(a, aOff, b, c, cOff, n, k, m);
        }
    }

    static void javaMatmulTransB(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * k, ci = cOff + i * m;
            for (int j = 0; j < m; j++) {
                int bj = j * k;
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += a[ai + p] * b[bj + p];
                }
                c[ci + j] = sum;
            }
        }
    }

    /**
     * C = β·C + A·Bᵀ, β 1 when {@code accumulate}, else 0: a (n, k) from aOff, b (m, k) from bOff,
     * c (n, m) from cOff. A convolution's weight gradient sums one such product per image
     * ({@code dW += dY_i · cols_iᵀ}).
     */
    public static void matmulTransB(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int n, int k,
                                    int m, boolean accumulate) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmulTransB(a, aOff, b, bOff, c, cOff, n, k, m, accumulate ? 1.0 : 0.0);
        } else {
            javaMatmulTransB(a, aOff, b, bOff, c, cOff, n, k, m, accumulate);
        }
    }

    static void javaMatmulTransB(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int n, int k,
                                 int m, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * k, ci = cOff + i * m;
            for (int j = 0; j < m; j++) {
                int bj = bOff + j * k;
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += a[ai + p] * b[bj + p];
                }
                c[ci + j] = accumulate ? c[ci + j] + sum : sum;
            }
        }
    }

    // ---- float32: the same loops over float ---------------------------------------------------

    /** As {@link #matmul(double[], int, double[], double[], int, int, int, int)}, in float32. */
    public static void matmul(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m) {
        matmul(a, aOff, b, c, cOff, n, k, m, false);
    }

    /** As {@link #matmul(double[], int, double[], double[], int, int, int, int, boolean)}, in float32. */
    public static void matmul(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m,
                              boolean accumulate) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmul(a, aOff, b, c, cOff, n, k, m, accumulate ? 1f : 0f);
        } else {
            javaMatmul(a, aOff, b, c, cOff, n, k, m, accumulate);
        }
    }

    static void javaMatmul(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m,
                           boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + n * m, 0f);
        }
        for (int kb = 0; kb < k; kb += K_BLOCK) {
            int kend = Math.min(k, kb + K_BLOCK);
            for (int i = 0; i < n; i++) {
                int ci = cOff + i * m, ai = aOff + i * k;
                for (int p = kb; p < kend; p++) {
                    float aip = a[ai + p];
                    if (aip == 0f) {
                        continue;
                    }
                    int bp = p * m;
                    for (int j = 0; j < m; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    /** As {@link #matmulTransA(double[], int, int, double[], int, double[], int, int, int, int, boolean)}, in float32. */
    public static void matmulTransA(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff,
                                    int n, int k, int m, boolean accumulate) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmulTransA(a, aOff, lda, b, bOff, c, cOff, n, k, m, accumulate ? 1f : 0f);
        } else {
            javaMatmulTransA(a, aOff, lda, b, bOff, c, cOff, n, k, m, accumulate);
        }
    }

    static void javaMatmulTransA(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff,
                                    int n, int k, int m, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, cOff, cOff + k * m, 0f);
        }
        if (m == 1) { // c = aᵀ·b with b a column, such as a bias gradient's ones: see javaColumnProduct
            javaColumnProduct(a, aOff, lda, b, bOff, c, cOff, n, k);
            return;
        }
        for (int i = 0; i < k; i++) {
            int ci = cOff + i * m;
            for (int r = 0; r < n; r++) {
                float ari = a[aOff + r * lda + i];
                if (ari == 0f) {
                    continue;
                }
                int br = bOff + r * m;
                for (int j = 0; j < m; j++) {
                    c[ci + j] += ari * b[br + j];
                }
            }
        }
    }

    /** The float32 twin of {@link #javaColumnProduct(double[], int, int, double[], int, double[], int, int, int)}. */
    static void javaColumnProduct(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff,
                                  int n, int k) {
        for (int r = 0; r < n; r++) {
            float br = b[bOff + r];
            int ar = aOff + r * lda;
            for (int i = 0; i < k; i++) {
                c[cOff + i] += a[ar + i] * br;
            }
        }
    }

    /** As {@link #matmulTransB(double[], int, double[], double[], int, int, int, int)}, in float32. */
    public static void matmulTransB(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmulTransB(a, aOff, b, c, cOff, n, k, m);
        } else {
            javaMatmulTransB(a, aOff, b, c, cOff, n, k, m);
        }
    }

    static void javaMatmulTransB(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * k, ci = cOff + i * m;
            for (int j = 0; j < m; j++) {
                int bj = j * k;
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a[ai + p] * b[bj + p];
                }
                c[ci + j] = sum;
            }
        }
    }

    /** As {@link #matmulTransB(double[], int, double[], int, double[], int, int, int, int, boolean)}, in float32. */
    public static void matmulTransB(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n, int k,
                                    int m, boolean accumulate) {
        if (NativeProducts.worthIt((long) n * k * m)) {
            NativeProducts.matmulTransB(a, aOff, b, bOff, c, cOff, n, k, m, accumulate ? 1f : 0f);
        } else {
            javaMatmulTransB(a, aOff, b, bOff, c, cOff, n, k, m, accumulate);
        }
    }

    static void javaMatmulTransB(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n, int k,
                                 int m, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * k, ci = cOff + i * m;
            for (int j = 0; j < m; j++) {
                int bj = bOff + j * k;
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a[ai + p] * b[bj + p];
                }
                c[ci + j] = accumulate ? c[ci + j] + sum : sum;
            }
        }
    }
}
