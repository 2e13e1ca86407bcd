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

    /**
     * Aᵀ·b for a column b (a bias gradient: b all ones, A a ReLU layer's gradient, half zeros) is
     * each column of A summed over the rows in order, bit for bit, in both types, on a block of
     * A's columns with rows lda apart, added to C or written.
     */
    @Test
    void aProductWithAColumnSumsEachColumnOverTheRowsInOrder() {
        int n = 37, lda = 11, k = 6, c0 = 3;
        double[] a = new double[n * lda], b = new double[n];
        float[] af = new float[n * lda], bf = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = RNG.nextBoolean() ? 0.0 : RNG.nextGaussian();
            af[i] = (float) a[i];
        }
        for (int r = 0; r < n; r++) {
            b[r] = r % 3 == 0 ? 1.0 : RNG.nextGaussian();
            bf[r] = (float) b[r];
        }
        for (boolean accumulate : new boolean[] {false, true}) {
            double[] c = {9, 0.5, -2, 4, 1, 7, 3, 8}, expected = c.clone();
            float[] cf = {9, 0.5f, -2, 4, 1, 7, 3, 8}, expectedF = cf.clone();
            for (int i = 0; i < k; i++) {
                double s = accumulate ? expected[1 + i] : 0.0;
                float sf = accumulate ? expectedF[1 + i] : 0f;
                for (int r = 0; r < n; r++) {
                    s += a[r * lda + c0 + i] * b[r];
                    sf += af[r * lda + c0 + i] * bf[r];
                }
                expected[1 + i] = s;
                expectedF[1 + i] = sf;
            }
            Products.javaMatmulTransA(a, c0, lda, b, 0, c, 1, n, k, 1, accumulate);
            Products.javaMatmulTransA(af, c0, lda, bf, 0, cf, 1, n, k, 1, accumulate);
            assertArrayEquals(expected, c, "float64, accumulate " + accumulate);
            assertArrayEquals(expectedF, cf, "float32, accumulate " + accumulate);
        }
    }

    @Test
    void theNativeBlasAndTheJavaKernelsAgree() {
        Assumptions.assumeTrue(NativeProducts.available(), "no native BLAS here (apt-get install libopenblas0)");
        Matrix a = Checks.random(RNG, 128, 784), b = Checks.random(RNG, 784, 128);
        Matrix viaBlas = new Matrix(128, 128), viaJava = new Matrix(128, 128);
        NativeProducts.matmul(a.data(), 0, b.data(), viaBlas.data(), 0, 128, 784, 128);
        Products.javaMatmul(a.data(), 0, b.data(), viaJava.data(), 0, 128, 784, 128, false);
        assertClose(viaJava, viaBlas);
    }

    /** With accumulate, C = C + A·B, whichever kernel: the fused step adds the product onto the bias. */
    @Test
    void anAccumulatingProductAddsOntoWhatIsThere() {
        Matrix a = Checks.random(RNG, 64, 300), b = Checks.random(RNG, 300, 40), start = Checks.random(RNG, 64, 40);
        Matrix expected = reference(a, b);
        for (int i = 0; i < expected.size(); i++) {
            expected.data()[i] += start.data()[i];
        }
        Matrix viaJava = start.copy(), viaChoice = start.copy();
        Products.javaMatmul(a.data(), 0, b.data(), viaJava.data(), 0, 64, 300, 40, true);
        Products.matmul(a.data(), 0, b.data(), viaChoice.data(), 0, 64, 300, 40, true); // native when there is one
        assertClose(expected, viaJava);
        assertClose(expected, viaChoice);
    }

    @Test
    void float32KernelsMatchFloat64OnBlocksOfRows() {
        // A block of rows 3..(3+n) of a, written at the same rows of c: the offsets the fused step uses.
        int n = 40, k = 70, m = 30, skip = 3;
        Matrix a = Checks.random(RNG, n + skip, k), b = Checks.random(RNG, k, m), bt = Checks.random(RNG, m, k);
        Matrix d = Checks.random(RNG, n + skip, m);
        float[] af = toFloat(a.data()), bf = toFloat(b.data()), btf = toFloat(bt.data()), df = toFloat(d.data());
        double[] c64 = new double[(n + skip) * m];
        float[] c32 = new float[(n + skip) * m];
        Products.matmul(a.data(), skip * k, b.data(), c64, skip * m, n, k, m);
        Products.javaMatmul(af, skip * k, bf, c32, skip * m, n, k, m, false);
        assertAgree(c64, c32);
        Products.matmulTransB(a.data(), skip * k, bt.data(), c64, skip * m, n, k, m);
        Products.javaMatmulTransB(af, skip * k, btf, c32, skip * m, n, k, m);
        assertAgree(c64, c32);
        // Aᵀ·D over the same block of rows, as the fused step calls it.
        double[] g64 = new double[k * m];
        float[] g32 = new float[k * m];
        Products.matmulTransA(a.data(), skip * k, k, d.data(), skip * m, g64, 0, n, k, m, false);
        Products.javaMatmulTransA(af, skip * k, k, df, skip * m, g32, 0, n, k, m, false);
        assertAgree(g64, g32);
        if (NativeProducts.available()) { // and the float32 BLAS agrees with the float32 Java loops
            float[] viaBlas = new float[k * m];
            NativeProducts.matmulTransA(af, skip * k, k, df, skip * m, viaBlas, 0, n, k, m, 0f);
            assertAgree(g64, viaBlas);
        }
        // A block of a's columns 5..25 (rows lda = k apart), as MatrixOps splits Aᵀ·D across cores in Java.
        double[] h64 = new double[20 * m];
        float[] h32 = new float[20 * m];
        Products.javaMatmulTransA(a.data(), skip * k + 5, k, d.data(), skip * m, h64, 0, n, 20, m, false);
        Products.javaMatmulTransA(af, skip * k + 5, k, df, skip * m, h32, 0, n, 20, m, false);
        assertAgree(h64, h32);
        for (int i = 0; i < 20 * m; i++) {
            assertEquals(g64[5 * m + i], h64[i], 1e-12 * Math.max(1, Math.abs(h64[i])));
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /** float32 against float64: entries of size about k/4 here, so 1e-5 relative is float rounding, not a bug. */
    private static void assertAgree(double[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), "entry " + i);
        }
    }

    @Test
    void javaKernelsGiveTheSameBitsWhateverTheSplitAcrossCores() {
        Matrix a = Checks.random(RNG, 200, 300), b = Checks.random(RNG, 300, 50);
        Matrix whole = new Matrix(200, 50), rowByRow = new Matrix(200, 50);
        Products.javaMatmul(a.data(), 0, b.data(), whole.data(), 0, 200, 300, 50, false);
        for (int i = 0; i < 200; i++) {
            Products.javaMatmul(a.data(), i * 300, b.data(), rowByRow.data(), i * 50, 1, 300, 50, false);
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
