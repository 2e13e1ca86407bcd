package dev.descent.tensor;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Asks OpenBLAS, once it is loaded, to run each product on its caller's thread:
 * {@code openblas_set_num_threads(1)}, called through JNA, as {@code OPENBLAS_NUM_THREADS=1} would
 * at its start. OpenBLAS's own threads change the last bits of a product (they block the sums
 * differently: measured, the same {@code sgemm} with one thread and with two differs), so with
 * them a program's numbers would depend on its environment; without them Descent splits the work
 * across the cores itself, always the same way, which is also the faster split for a training
 * step's products (docs/performance.md). A BLAS that is not OpenBLAS (the reference BLAS, which
 * runs on the caller's thread anyway) is left as it is.
 */
final class OpenBlasThreads {
    /** The library netlib's binding opens on Linux: the system's BLAS, OpenBLAS with libopenblas0. */
    static final String SYSTEM_BLAS = "libblas.so.3";

    private OpenBlasThreads() {}

    /** Sets OpenBLAS to one thread; true when it was OpenBLAS and it took, false when nothing was done. */
    static boolean one() {
        try {
            Function set = NativeLibrary.getInstance(SYSTEM_BLAS).getFunction("openblas_set_num_threads");
            set.invoke(new Object[] {1});
            Function get = NativeLibrary.getInstance(SYSTEM_BLAS).getFunction("openblas_get_num_threads");
            return get.invokeInt(new Object[0]) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException notOpenBlas) {
            return false; // another BLAS, another system, or no JNA native support: nothing to set
        }
    }
}
