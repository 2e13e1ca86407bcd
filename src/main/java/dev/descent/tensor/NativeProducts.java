package dev.descent.tensor;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Matrix products by the system's BLAS (OpenBLAS, when {@code libopenblas0} is installed),
 * through {@code dev.ludovic.netlib:blas}'s JNI binding. When no native BLAS can be loaded,
 * {@link #available()} is false and callers use Descent's Java kernels ({@link Products}): same
 * results up to rounding, slower.
 *
 * <p>Our matrices are row-major and BLAS is column-major: a row-major (r, c) matrix is its
 * column-major transpose, so {@code C = A·B} is computed as {@code Cᵀ = Bᵀ·Aᵀ}. Every method
 * takes offsets, so that a block of rows can be handed to one core.
 *
 * <p>Both cores: Descent splits the work itself, one block per core, always the same way, and
 * OpenBLAS runs each product on its caller's thread: Descent sets it to one thread when it loads
 * it ({@code openblas_set_num_threads(1)}, {@link OpenBlasThreads}), as {@code OPENBLAS_NUM_THREADS=1}
 * would. OpenBLAS's own threads would change the last bits of the products, so a program's numbers
 * would depend on its environment; this way a Java program gets the parameters
 * {@code descent train} gets, whatever {@code OPENBLAS_NUM_THREADS} says, and the split is also the
 * faster one for a training step's small products (measured in {@code docs/performance.md}).
 */
public final class NativeProducts {
    private NativeProducts() {}

    /** Products with fewer multiply-adds than this stay in Java: the call costs more than it saves. */
    static final long MIN_WORK = 1 << 15;

    /** The netlib loader's logger, held so that silencing it lasts: a missing library is not a warning here. */
    private static final Logger LOADER_LOG = Logger.getLogger("dev.ludovic.netlib.blas");

    /**
     * Loaded at the first product large enough to want it (or the first question that needs to
     * know), not before: loading copies the JNI library out of the jar and starts OpenBLAS, tens
     * of milliseconds that a small network, such as the seed example's, never pays back.
     */
    private static final class Native {
        static final BLAS BLAS = load();
        /** Whether each native product runs on its caller's thread: OpenBLAS told so, or told by its environment. */
        static final boolean ONE_THREAD = BLAS != null
                && (OpenBlasThreads.one() || "1".equals(System.getenv("OPENBLAS_NUM_THREADS")));
    }

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
    public static boolean available() {
        return Native.BLAS != null;
    }

    /**
     * Whether each native call runs on the calling thread (OpenBLAS set to one thread by Descent,
     * or by {@code OPENBLAS_NUM_THREADS=1}), as Descent's split across the cores assumes. Without a
     * native BLAS, true: the Java kernels are sequential too.
     */
    public static boolean singleThreaded() {
        return Native.BLAS == null || Native.ONE_THREAD;
    }

    /** Whether a product of this many multiply-adds should go to the native BLAS. */
    static boolean worthIt(long work) {
        return work >= MIN_WORK && Native.BLAS != null;
    }

    /** C = A·B: a (n, k) from aOff, b (k, m), c (n, m) from cOff, all row-major. */
    static void matmul(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m) {
        matmul(a, aOff, b, c, cOff, n, k, m, 0.0);
    }

    /** C = beta·C + A·B: a (n, k) from aOff, b (k, m), c (n, m) from cOff, all row-major. */
    static void matmul(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m, double beta) {
        Native.BLAS.dgemm("N", "N", m, n, k, 1.0, b, 0, m, a, aOff, k, beta, c, cOff, m);
    }

    /** C = beta·C + Aᵀ·B: a (n, k) from aOff with rows lda apart, b (n, m) from bOff, c (k, m) from cOff. */
    static void matmulTransA(double[] a, int aOff, int lda, double[] b, int bOff, double[] c, int cOff,
                             int n, int k, int m, double beta) {
        Native.BLAS.dgemm("N", "T", m, k, n, 1.0, b, bOff, m, a, aOff, lda, beta, c, cOff, m);
    }

    /** C = A·Bᵀ: a (n, k) from aOff, b (m, k), c (n, m) from cOff. */
    static void matmulTransB(double[] a, int aOff, double[] b, double[] c, int cOff, int n, int k, int m) {
        Native.BLAS.dgemm("T", "N", m, n, k, 1.0, b, 0, k, a, aOff, k, 0.0, c, cOff, m);
    }

    /** C = beta·C + A·Bᵀ: a (n, k) from aOff, b (m, k) from bOff, c (n, m) from cOff. */
    static void matmulTransB(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int n, int k, int m,
                             double beta) {
        Native.BLAS.dgemm("T", "N", m, n, k, 1.0, b, bOff, k, a, aOff, k, beta, c, cOff, m);
    }

    /** As {@link #matmul(double[], int, double[], double[], int, int, int, int, double)}, in float32. */
    static void matmul(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m, float beta) {
        Native.BLAS.sgemm("N", "N", m, n, k, 1f, b, 0, m, a, aOff, k, beta, c, cOff, m);
    }

    /** As {@link #matmulTransA(double[], int, int, double[], int, double[], int, int, int, int, double)}, in float32. */
    static void matmulTransA(float[] a, int aOff, int lda, float[] b, int bOff, float[] c, int cOff,
                             int n, int k, int m, float beta) {
        Native.BLAS.sgemm("N", "T", m, k, n, 1f, b, bOff, m, a, aOff, lda, beta, c, cOff, m);
    }

    /** As {@link #matmulTransB(double[], int, double[], double[], int, int, int, int)}, in float32. */
    static void matmulTransB(float[] a, int aOff, float[] b, float[] c, int cOff, int n, int k, int m) {
        Native.BLAS.sgemm("T", "N", m, n, k, 1f, b, 0, k, a, aOff, k, 0f, c, cOff, m);
    }

    /** As {@link #matmulTransB(double[], int, double[], int, double[], int, int, int, int, double)}, in float32. */
    static void matmulTransB(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int n, int k, int m,
                             float beta) {
        Native.BLAS.sgemm("T", "N", m, n, k, 1f, b, bOff, k, a, aOff, k, beta, c, cOff, m);
    }

    /** One line for headers: which kernels multiply matrices. */
    static String describe() {
        if (Native.BLAS == null) {
            return "Descent's Java kernels (apt-get install libopenblas0 for five to eight times the speed)";
        }
        return "large products by the system's BLAS (OpenBLAS through JNI), split across cores by Descent"
                + (Native.ONE_THREAD ? "" : "; the BLAS's own threads could not be set to one, so its numbers may "
                        + "depend on its environment (OPENBLAS_NUM_THREADS=1)");
    }
}
