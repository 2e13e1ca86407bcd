package dev.descent.tensor;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Matrix products by the system's BLAS (OpenBLAS, when {@code libopenblas0} is installed),
 * through {@code dev.ludovic.netlib:blas}'s JNI binding. When no native BLAS can be loaded,
 * {@link #available()} is false and {@link MatrixOps} uses its own Java kernels: same results up
 * to rounding, slower.
 *
 * <p>Our matrices are row-major and BLAS is column-major: a row-major (r, c) matrix is its
 * column-major transpose, so {@code C = A·B} is computed as {@code Cᵀ = Bᵀ·Aᵀ}.
 */
final class NativeProducts {
    private NativeProducts() {}

    /** Products with fewer multiply-adds than this stay in Java: the call costs more than it saves. */
    static final long MIN_WORK = 1 << 15;

    /** The netlib loader's logger, held so that silencing it lasts: a missing library is not a warning here. */
    private static final Logger LOADER_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    private static final BLAS BLAS = load();

    private static BLAS load() {
        if (Boolean.getBoolean("descent.javaKernels")) {
            return null;
        }
        Level before = LOADER_LOG.getLevel();
        LOADER_LOG.setLevel(Level.OFF);
        try {
            return NativeBLAS.getInstance();
        } catch (Throwable noNativeBlas) {
            return null;
        } finally {
            LOADER_LOG.setLevel(before);
        }
    }

    /** Whether a native BLAS was loaded (and {@code -Ddescent.javaKernels=true} was not given). */
    static boolean available() {
        return BLAS != null;
    }

    /** Whether a product of this many multiply-adds should go to the native BLAS. */
    static boolean worthIt(long work) {
        return BLAS != null && work >= MIN_WORK;
    }

    /** C = A·B: a (n, k), b (k, m), c (n, m), all row-major. */
    static void matmul(double[] a, double[] b, double[] c, int n, int k, int m) {
        BLAS.dgemm("N", "N", m, n, k, 1.0, b, m, a, k, 0.0, c, m);
    }

    /** C += Aᵀ·B: a (n, k), b (n, m), c (k, m). */
    static void addMatmulTransA(double[] a, double[] b, double[] c, int n, int k, int m) {
        BLAS.dgemm("N", "T", m, k, n, 1.0, b, m, a, k, 1.0, c, m);
    }

    /** C = A·Bᵀ: a (n, k), b (m, k), c (n, m). */
    static void matmulTransB(double[] a, double[] b, double[] c, int n, int k, int m) {
        BLAS.dgemm("T", "N", m, n, k, 1.0, b, k, a, k, 0.0, c, m);
    }

    /** One line for headers: which kernels multiply matrices. */
    static String describe() {
        return BLAS != null ? "large products by the system's BLAS (OpenBLAS through JNI)"
                : "Descent's Java kernels (apt-get install libopenblas0 for about four times the speed)";
    }
}
