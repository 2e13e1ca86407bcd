package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.FastCentralDifference;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Class weights: the rules, the weighted kernels against finite differences, the fused step against the reference. */
class ClassWeightsTest {
    private static final double EXACT = 1e-15;
    private static final List<String> ABC = List.of("a", "b", "c");

    /**
     * scikit-learn's compute_class_weight("balanced", classes=[0, 1, 2], y=[0, 0, 0, 1, 2, 2]) is
     * [0.66666667, 2., 1.]: n / (k · n_c) = 6 / (3·3), 6 / (3·1), 6 / (3·2).
     */
    @Test
    void balancedIsScikitLearnsRule() {
        ClassWeights w = ClassWeights.balanced().resolve(ABC, new int[] {0, 0, 0, 1, 2, 2});
        assertArrayEquals(new double[] {6.0 / 9, 2.0, 1.0}, w.weights(), EXACT);
        assertEquals("balanced", w.provenance().get("classWeight"));
        assertEquals("a=0.6666666666666666, b=2.0, c=1.0", w.provenance().get("classWeights"));
        // the mean weight over the training rows is 1
        assertEquals(1.0, (3 * w.weight(0) + w.weight(1) + 2 * w.weight(2)) / 6, EXACT);
    }

    @Test
    void givenWeightsNameClassesAndTheOthersKeepOne() {
        ClassWeights w = ClassWeights.parse("c=10, a=0.5").resolve(ABC, new int[] {0, 1, 2});
        assertArrayEquals(new double[] {0.5, 1.0, 10.0}, w.weights());
        assertEquals(w.weights()[2], ClassWeights.of(Map.of("c", 10.0)).resolve(ABC, new int[0]).weight(2));
        assertTrue(ClassWeights.parse("none").none());
        assertTrue(ClassWeights.NONE.provenance().isEmpty(), "an unweighted run's file is unchanged");
    }

    @Test
    void badWeightsAreOneLineNamingWhatIsWrong() {
        assertEquals("'=2' has an empty class name",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("=2")).getMessage());
        assertEquals("the weight of 'a', '-1', must be a positive number",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("a=-1")).getMessage());
        assertEquals("the weight of 'a', '0', must be a positive number",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("a=0")).getMessage());
        assertEquals("class 'a' is given two weights",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("a=1,a=2")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("heavy"))
                .getMessage().contains("is not NAME=WEIGHT"));
        assertEquals("no class 'd' in the training data; its classes are a, b, c",
                assertThrows(IllegalArgumentException.class,
                        () -> ClassWeights.parse("d=2").resolve(ABC, new int[] {0})).getMessage());
        assertThrows(IllegalStateException.class, () -> ClassWeights.balanced().weight(0));
    }

    /** Rows of logits [0, 0] label 0, and [0, ln 3] label 1, weighted 2 and 5: ℓ = 2 ln 2 − 5 ln(3/4). */
    @Test
    void handComputedCase() {
        Matrix z = Matrix.of(new double[][] {{0, 0}, {0, Math.log(3)}});
        ClassWeights w = ClassWeights.parse("x=2,y=5").resolve(List.of("x", "y"), new int[] {0, 1});
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM, w);
        assertEquals(2 * Math.log(2) - 5 * Math.log(0.75), loss.forward(z, new int[] {0, 1}), EXACT);
        assertArrayEquals(new double[] {-1, 1, 1.25, -1.25}, loss.backward().data(), EXACT);
        SoftmaxCrossEntropy mean = new SoftmaxCrossEntropy(Reduction.MEAN, w);
        assertEquals((2 * Math.log(2) - 5 * Math.log(0.75)) / 2, mean.forward(z, new int[] {0, 1}), EXACT);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void weightedGradientMatchesCentralDifferences(Reduction reduction) {
        Random rng = new Random(234);
        Matrix z = Checks.random(rng, 6, 4);
        int[] labels = {0, 3, 1, 1, 2, 0};
        ClassWeights w = ClassWeights.parse("0=0.25,1=3,3=7.5").resolve(List.of("0", "1", "2", "3"), labels);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(reduction, w);
        loss.forward(z, labels);
        Matrix dz = loss.backward().copy();
        for (int i = 0; i < z.size(); i++) {
            double numeric = Checks.centralDifference(z.data(), i, () -> loss.forward(z, labels));
            double err = Checks.relativeError(dz.data()[i], numeric);
            assertTrue(err < Checks.GRAD_RTOL, "entry " + i + ": relative error " + err);
        }
    }

    @Test
    void floatKernelIsTheDoubleKernelRounded() {
        int n = 7, k = 5;
        double[] z = Checks.random(new Random(8), n, k).data(), g = new double[n * k];
        int[] labels = {0, 4, 1, 1, 3, 2, 0};
        ClassWeights w = ClassWeights.balanced().resolve(List.of("a", "b", "c", "d", "e"), labels);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN, w);
        double l = loss.rows(z, 0, n, k, labels, 0, 1.0 / n, g, new double[k]);
        float[] gf = new float[n * k];
        double lf = loss.rows(Checks.toFloat(z), 0, n, k, labels, 0, 1.0 / n, gf, new double[k]);
        Checks.assertFloatTwin(g, gf, "gradient");
        assertEquals(l, lf, 1e-6 * l);
    }

    /** Weights of 1 are no weights: the same numbers, bit for bit. */
    @Test
    void weightsOfOneChangeNoBit() {
        Matrix z = Checks.random(new Random(3), 9, 3);
        int[] labels = {0, 1, 2, 2, 1, 0, 0, 1, 2};
        SoftmaxCrossEntropy plain = new SoftmaxCrossEntropy(Reduction.MEAN);
        SoftmaxCrossEntropy ones = new SoftmaxCrossEntropy(Reduction.MEAN,
                ClassWeights.parse("a=1,b=1,c=1").resolve(ABC, labels));
        assertEquals(plain.forward(z, labels), ones.forward(z, labels));
        assertArrayEquals(plain.backward().data(), ones.backward().data());
    }

    /** The fused step in both dtypes against the layers' own backprop, and both against central differences. */
    @Test
    void theFusedStepTrainsTheWeightedLoss() {
        Random rng = new Random(11);
        int rows = 130, k = 4;
        Matrix x = Checks.random(rng, rows, 12);
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 10 == 0 ? 3 : rng.nextInt(3);
        }
        ClassWeights w = ClassWeights.balanced().resolve(List.of("a", "b", "c", "rare"), y);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN, w);
        Network n = new Architecture(12, List.of(9), "tanh", k).build();
        Initializer.PYTORCH.initialize(n, 4);
        List<Matrix> ref = grads(new Backpropagation(), n, loss, x, y);
        List<Matrix> f64 = grads(new FusedBackprop(Dtype.FLOAT64), n, loss, x, y);
        List<Matrix> f32 = grads(new FusedBackprop(Dtype.FLOAT32), n, loss, x, y);
        assertTrue(Checks.worstRelativeDifference(ref, f64) < 1e-12, "float64");
        double e32 = Checks.worstRelativeDifference(ref, f32);
        assertTrue(e32 < 1e-4 && e32 > 0, "float32: " + e32);
        List<Matrix> numeric = grads(new CentralDifference(), n, loss, x, y);
        assertTrue(Checks.worstRelativeDifference(ref, numeric) < 1e-6, "central differences");
        // the fast central differences know only the unweighted loss: they hand a weighted one to the plain method
        assertTrue(!FastCentralDifference.supports(n, loss));
        List<Matrix> unweighted = grads(new Backpropagation(), n, new SoftmaxCrossEntropy(Reduction.MEAN), x, y);
        assertTrue(Checks.worstRelativeDifference(ref, unweighted) > 0.01, "the weights change the gradient");
    }

    private static List<Matrix> grads(dev.descent.gradient.GradientSource source, Network n, Loss loss, Matrix x,
            int[] y) {
        source.computeGradients(n, loss, x, y);
        return n.parameters().stream().map(p -> p.grad().copy()).toList();
    }
}
