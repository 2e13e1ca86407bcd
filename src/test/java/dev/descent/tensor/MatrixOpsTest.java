package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.Checks;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MatrixOpsTest {
    private static final Random RNG = new Random(234);

    /** The textbook triple loop, the reference for every kernel. */
    private static Matrix reference(Matrix a, Matrix b) {
        Matrix c = new Matrix(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int p = 0; p < a.cols(); p++) {
                    s += a.get(i, p) * b.get(p, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    private static Matrix transpose(Matrix m) {
        Matrix t = new Matrix(m.cols(), m.rows());
        MatrixOps.transpose(m, t);
        return t;
    }

    private static void assertClose(Matrix expected, Matrix actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-12 * Math.max(1, Math.abs(expected.data()[i])), "entry " + i);
        }
    }

    @Test
    void productsAgreeWithTheTripleLoopAtEverySize() {
        // Small sizes run in one thread; (130, 300, 140) is split across cores and, with a BLAS, goes native.
        for (int[] s : new int[][] {{1, 1, 1}, {3, 5, 2}, {17, 129, 9}, {130, 300, 140}}) {
            Matrix a = Checks.random(RNG, s[0], s[1]), b = Checks.random(RNG, s[1], s[2]);
            Matrix c = new Matrix(s[0], s[2]);
            MatrixOps.matmul(a, b, c);
            assertClose(reference(a, b), c);

            Matrix acc = Checks.random(RNG, s[1], s[2]), expected = acc.copy(), d = Checks.random(RNG, s[0], s[2]);
            MatrixOps.axpyInPlace(expected, 1, reference(transpose(a), d));
            MatrixOps.addMatmulTransA(a, d, acc);
            assertClose(expected, acc);

            Matrix e = new Matrix(s[0], s[1]);
            MatrixOps.matmulTransB(d, b, e);
            assertClose(reference(d, transpose(b)), e);
        }
    }

    @Test
    void theNativeBlasAndTheJavaKernelsAgree() {
        Assumptions.assumeTrue(NativeProducts.available(), "no native BLAS here (apt-get install libopenblas0)");
        Matrix a = Checks.random(RNG, 128, 784), b = Checks.random(RNG, 784, 128);
        Matrix viaBlas = new Matrix(128, 128), viaJava = new Matrix(128, 128);
        NativeProducts.matmul(a.data(), b.data(), viaBlas.data(), 128, 784, 128);
        MatrixOps.javaMatmul(a.data(), b.data(), viaJava.data(), 128, 784, 128);
        assertClose(viaJava, viaBlas);
    }

    @Test
    void javaKernelsGiveTheSameBitsWhateverTheSplitAcrossCores() {
        Matrix a = Checks.random(RNG, 200, 300), b = Checks.random(RNG, 300, 50);
        Matrix whole = new Matrix(200, 50), rowByRow = new Matrix(200, 50);
        MatrixOps.javaMatmul(a.data(), b.data(), whole.data(), 200, 300, 50);
        for (int i = 0; i < 200; i++) {
            double[] row = new double[50];
            MatrixOps.javaMatmul(a.row(i), b.data(), row, 1, 300, 50);
            System.arraycopy(row, 0, rowByRow.data(), i * 50, 50);
        }
        assertArrayEquals(whole.data(), rowByRow.data());
    }

    @Test
    void shapesThatDoNotFitAreNamed() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> MatrixOps.matmul(new Matrix(3, 4), new Matrix(3, 4), new Matrix(3, 4)));
        assertEquals("matmul: 3x4 and 3x4 do not chain (4 vs 3)", e.getMessage());
    }
}
