package dev.descent.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.TestLayers;
import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.layers.Activation;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.layers.Shape;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientCheckTest {
    private static final Dataset DATA = SeedExample.dataset();
    private static final Shape IMAGE = new Shape(1, 6, 6);

    private static Network withSquare(double factor) {
        Network n = Network.builder(5).dense(6).add(TestLayers.square(factor)).dense(10).build();
        Initializer.XAVIER.initialize(n, 5);
        return n;
    }

    private static GradientCheckReport check(Network n) {
        return new GradientCheck().check(n, new SoftmaxCrossEntropy(Reduction.SUM), DATA.featureMatrix(), DATA.labels());
    }

    @Test
    void correctNetworkPasses() {
        GradientCheckReport r = check(withSquare(1));
        assertTrue(r.passed(), r.toString());
        assertEquals("backprop and central differences agree on every tensor", r.summary());
    }

    @Test
    void signFlippedBackwardIsNamedAsASignError() {
        GradientCheckReport r = check(withSquare(-1));
        assertFalse(r.passed());
        // W2 and b2 come after the bad layer and stay right; W1 and b1 get every gradient through it.
        assertTrue(r.tensor("W2").passed());
        assertTrue(r.tensor("b2").passed());
        TensorCheck w1 = r.tensor("W1");
        assertTrue(w1.signFlipped(), w1.toString());
        assertEquals(-1.0, w1.cosine(), 1e-9);
        // The sign enters through the square layer's input gradient: the blame is its, W1 and b1 fail through it.
        assertEquals("layer 2 (square)", r.blame().where());
        assertTrue(r.summary().startsWith("the input gradient of layer 2 (square) is wrong, checked in place on the "
                + "input it receives: it has the wrong sign (cosine -1.0000"), r.summary());
        assertTrue(r.summary().contains("\nthe gradient of W1 has the wrong sign (cosine -1.0000"), r.summary());
    }

    @Test
    void doubledBackwardIsNamedAsAFactorOfTwo() {
        GradientCheckReport r = check(withSquare(2));
        TensorCheck w1 = r.tensor("W1");
        assertTrue(w1.constantFactor(), w1.toString());
        assertEquals(2.0, w1.ratio(), 1e-6);
        assertTrue(w1.diagnosis().startsWith("the gradient of W1 is off by a factor of 2.00"), w1.diagnosis());
    }

    /**
     * 1x6x6 images through a convolution of one's own (3 filters of 3x3, padding 1; its filters'
     * gradient times {@code factor}), tanh, average pooling 2, dense to 3 classes: no kinks.
     */
    private static Network withConv(double factor) {
        Random rng = new Random(234);
        Conv2d conv = new Conv2d(Conv2d.Geometry.of(IMAGE, 3, 3, 1, 1), Checks.random(rng, 3, 9),
                Checks.random(rng, 1, 3));
        Network n = Network.builder(IMAGE).add(TestLayers.conv(conv, factor)).add(new Activation.Tanh())
                .avgPool(2, 2).dense(3).build();
        Initializer.XAVIER.initialize(n, 5);
        return n;
    }

    /** The step that trains, as {@code descent gradcheck} checks it: in float64, on 4 images. */
    private static GradientCheckReport checkImages(Network n) {
        Matrix x = Checks.random(new Random(7), 4, IMAGE.size());
        return new GradientCheck().check(new FusedBackprop(Dtype.FLOAT64), n, new SoftmaxCrossEntropy(Reduction.MEAN),
                x, new int[] {0, 1, 2, 1});
    }

    @Test
    void aConvolutionsSignFlippedFilterGradientIsNamedAsASignError() {
        assertTrue(checkImages(withConv(1)).passed(), "the layer of one's own is right with factor 1");
        GradientCheckReport r = checkImages(withConv(-1));
        assertEquals(List.of("conv1.W"), r.failures().stream().map(TensorCheck::name).toList(), r.toString());
        TensorCheck w = r.tensor("conv1.W");
        assertTrue(w.signFlipped(), w.toString());
        assertEquals(-1.0, w.cosine(), 1e-9);
        assertTrue(r.tensor("conv1.b").passed(), "the bias's gradient is right: " + r);
        assertTrue(r.summary().contains("the gradient of conv1.W has the wrong sign (cosine -1.0000"), r.summary());
    }

    @Test
    void aConvolutionsDoubledFilterGradientIsNamedAsAFactorOfTwo() {
        GradientCheckReport r = checkImages(withConv(2));
        assertEquals(List.of("conv1.W"), r.failures().stream().map(TensorCheck::name).toList(), r.toString());
        TensorCheck w = r.tensor("conv1.W");
        assertTrue(w.constantFactor(), w.toString());
        assertEquals(2.0, w.ratio(), 1e-6);
        assertTrue(w.diagnosis().startsWith("the gradient of conv1.W is off by a factor of 2.00"), w.diagnosis());
        assertTrue(r.summary().contains("the gradient of conv1.W is off by a factor of 2.00"), r.summary());
    }

    @Test
    void layerOnItsOwnNamesTheInputGradient() {
        Matrix x = new Matrix(3, 4);
        Random rng = new Random(1);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextGaussian();
        }
        assertTrue(new GradientCheck().checkLayer(TestLayers.square(1), x, 3).passed());
        TensorCheck input = new GradientCheck().checkLayer(TestLayers.square(-1), x, 3).tensor("input");
        assertTrue(input.signFlipped());
    }

    @Test
    void denseLayerOnItsOwnPassesForInputAndParameters() {
        Random rng = new Random(2);
        Dense dense = new Dense(4, 3);
        for (double[] d : List.of(dense.weights().value().data(), dense.bias().value().data())) {
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.nextGaussian();
            }
        }
        GradientCheckReport r = new GradientCheck().checkLayer(dense, new Matrix(2, 4, new double[] {1, 2, 3, 4, -1, 0, 2, 1}), 9);
        assertEquals(List.of("input", "W", "b"), r.tensors().stream().map(TensorCheck::name).toList());
        assertTrue(r.passed(), r.toString());
    }

    /** 5-20-10 ReLU whose hidden unit 0 sits exactly at its kink for sample 1: its bias makes the pre-activation 0. */
    private static Network withUnitOnItsKink() {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.HE.initialize(n, 3);
        Dense first = (Dense) n.layers().get(0);
        double pre = 0;
        for (int i = 0; i < 5; i++) {
            pre += DATA.featureMatrix().get(0, i) * first.weights().value().get(i, 0);
        }
        first.bias().value().set(0, 0, -pre);
        return n;
    }

    @Test
    void reluKinksAreSetAsideAndCounted() {
        GradientCheckReport r = check(withUnitOnItsKink());
        assertTrue(r.passed(), r.toString());
        assertTrue(r.tensor("b1").kinks() >= 1, r.toString());
        assertTrue(r.tensor("W1").kinks() >= 1, r.toString());
    }

    @Test
    void theKinksSetAsideAreNamedPerTensorInWords() {
        GradientCheckReport r = check(withUnitOnItsKink());
        assertTrue(r.kinks() >= 2, r.toString());
        assertTrue(r.kinkNote().contains("W1 " + r.tensor("W1").kinks()), r.kinkNote());
        assertTrue(r.kinkNote().endsWith("at a kink (a ReLU unit switching on or off) set aside, not compared and not "
                + "failed"), r.kinkNote());
        assertEquals("", check(withSquare(1)).kinkNote());
    }

    @Test
    void aForwardThatDrawsFreshNoiseIsNotRepeatableAndTheLayerIsNamed() {
        Network noisy = Network.builder(5).dense(6).add(TestLayers.noisy(0.01, 1)).relu().dense(10).build();
        Initializer.HE.initialize(noisy, 1);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        NonRepeatable n = GradientCheck.nonRepeatable(noisy, loss, DATA.featureMatrix(), DATA.labels()).orElseThrow();
        assertEquals(1, n.layer());
        assertEquals("layer 2 (noisy)", n.where());
        assertTrue(n.firstLoss() != n.secondLoss(), n.toString());
        assertTrue(GradientCheck.nonRepeatable(withSquare(1), loss, DATA.featureMatrix(), DATA.labels()).isEmpty());
    }

    @Test
    void cachedAndPlainCentralDifferencesFindTheSameKinksAndVerdicts() {
        Network n = withUnitOnItsKink();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        // A loss the cached engine does not know forces the one-entry-at-a-time path.
        dev.descent.loss.Loss opaque = new dev.descent.loss.Loss() {
            @Override
            public double forward(Matrix output, int[] labels) {
                return loss.forward(output, labels);
            }

            @Override
            public Matrix backward() {
                return loss.backward();
            }

            @Override
            public Reduction reduction() {
                return loss.reduction();
            }
        };
        GradientCheckReport cached = new GradientCheck().check(n, loss, DATA.featureMatrix(), DATA.labels());
        GradientCheckReport plain = new GradientCheck().check(n, opaque, DATA.featureMatrix(), DATA.labels());
        for (String t : List.of("W1", "b1", "W2", "b2")) {
            assertEquals(plain.tensor(t).kinks(), cached.tensor(t).kinks(), t);
            assertEquals(plain.tensor(t).passed(), cached.tensor(t).passed(), t);
            assertEquals(plain.tensor(t).checked(), cached.tensor(t).checked(), t);
        }
        assertTrue(cached.tensor("b1").kinks() >= 1);
    }

    @Test
    void subsetChecksEvenlySpreadEntries() {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(n, 1);
        GradientCheckReport r = new GradientCheck(1e-6, 1e-3, 1e-5, 7)
                .check(n, new SoftmaxCrossEntropy(Reduction.SUM), DATA.featureMatrix(), DATA.labels());
        assertEquals(List.of(7, 7, 7, 7), r.tensors().stream().map(TensorCheck::checked).toList());
        assertTrue(r.passed());
    }

    @Test
    void checkLeavesParametersExactlyAsTheyWere() {
        Network n = withSquare(1);
        List<Matrix> before = n.snapshot();
        check(n);
        assertEquals(before, n.snapshot());
    }

    /** 5 -> 8 x (16 sigmoid) -> 10, xavier: its first layers' gradients are about 1e-6. */
    private static Network deepSigmoid(boolean flipped) {
        Network.Builder b = Network.builder(5).dense(16).activation("sigmoid");
        if (flipped) {
            b.add(TestLayers.elementwise("flipped", x -> x, (x, dy) -> -dy));
        }
        for (int i = 1; i < 8; i++) {
            b.dense(16).activation("sigmoid");
        }
        Network n = b.dense(10).build();
        Initializer.XAVIER.initialize(n, 4);
        return n;
    }

    @Test
    void aSignErrorInTinyGradientsFailsBecauseTheToleranceScalesWithTheTensor() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        GradientCheckReport right = new GradientCheck().check(deepSigmoid(false), loss, DATA.featureMatrix(), DATA.labels());
        assertTrue(right.passed(), right.toString());
        GradientCheckReport wrong = new GradientCheck().check(deepSigmoid(true), loss, DATA.featureMatrix(), DATA.labels());
        TensorCheck w1 = wrong.tensor("W1");
        // The gradients are far below PyTorch's atol of 1e-5: an absolute tolerance would pass them all.
        assertTrue(Math.abs(w1.worstNumerical()) < 1e-5, w1.toString());
        assertTrue(w1.maxAbsError() < GradientCheck.DEFAULT_ATOL, w1.toString());
        assertTrue(w1.tolerance() < 1e-7, w1.toString());
        assertTrue(w1.apart(), w1.toString()); // and they point apart: a failure whatever their size
        assertTrue(w1.signFlipped(), w1.toString());
        assertTrue(wrong.summary().contains("the gradient of W1 has the wrong sign (cosine -1.0000"), wrong.summary());
        assertTrue(wrong.tensor("W9").passed(), wrong.toString());
    }

    /** y = |x|, right everywhere but at 0, where its backward says +1: a user's layer that does not implement Kinked. */
    private static Layer abs() {
        return TestLayers.elementwise("abs", Math::abs, (v, dy) -> (v >= 0 ? 1 : -1) * dy);
    }

    @Test
    void failingEntriesAtAKinkOfALayerThatDoesNotSaySoAreNamedWithKinked() {
        Matrix x = Matrix.of(new double[][] {{0, 1.5, -2}, {0.7, 0, -0.3}});
        GradientCheckReport r = new GradientCheck().checkLayer(abs(), x, 5);
        TensorCheck input = r.tensor("input");
        assertFalse(r.passed());
        assertEquals(2, input.failures(), input.toString());
        assertEquals(2, input.nearKinks(), input.toString());
        assertTrue(r.summary().contains("all of them sit within h of a kink, where the two one-sided slopes differ: "
                + "if a layer is not differentiable there (|x| at 0, a max), implement Kinked"), r.summary());
        // Away from its kink the same layer passes, and a wrong gradient there is not called a kink.
        Matrix away = Matrix.of(new double[][] {{0.5, 1.5, -2}, {0.7, -0.1, -0.3}});
        assertTrue(new GradientCheck().checkLayer(abs(), away, 5).passed());
        TensorCheck flipped = new GradientCheck().checkLayer(TestLayers.square(-1), away, 5).tensor("input");
        assertEquals(0, flipped.nearKinks(), flipped.toString());
        assertFalse(flipped.diagnosis().contains("Kinked"), flipped.diagnosis());
    }

    @Test
    void checkLayerTellsAForwardThatDrawsFreshNoiseFromAWrongGradient() {
        Matrix x = Matrix.of(new double[][] {{0.5, 1.5, -2}, {0.7, -0.1, -0.3}});
        GradientCheckReport r = new GradientCheck().checkLayer(TestLayers.noisy(0.01, 2), x, 5);
        assertFalse(r.passed());
        assertEquals("noisy", r.nonRepeatable().kind());
        assertTrue(r.summary().startsWith("the forward pass is not repeatable: layer 1 (noisy) gave different outputs "
                + "for the same input"), r.summary());
        assertFalse(r.summary().contains("wrong sign"), r.summary());
        GradientCheckReport quiet = new GradientCheck().checkLayer(TestLayers.noisy(0, 2), x, 5);
        assertTrue(quiet.passed(), quiet.toString());
        assertEquals(null, quiet.nonRepeatable());
    }

    @Test
    void checkOfANetworkSaysWhenItsForwardIsNotRepeatable() {
        Network noisy = Network.builder(5).dense(6).add(TestLayers.noisy(0.01, 1)).relu().dense(10).build();
        Initializer.HE.initialize(noisy, 1);
        GradientCheckReport r = check(noisy);
        assertFalse(r.passed());
        assertEquals(1, r.nonRepeatable().layer());
        assertTrue(r.summary().startsWith("the forward pass is not repeatable: layer 2 (noisy)"), r.summary());
    }

    /** y = 2x, whose backward passes dy down instead of 2dy where its input is above 1: right on small inputs. */
    private static Layer doubling() {
        return TestLayers.elementwise("mine", v -> 2 * v, (v, dy) -> (v > 1 ? 1 : 2) * dy);
    }

    @Test
    void aWrongInputGradientIsBlamedOnTheLayerThatPassesItDownNotOnTheDenseLayerBelow() {
        Network n = Network.builder(5).dense(8).add(doubling()).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(n, 2); // inputs of 'mine' well above 1 on the seed data
        GradientCheckReport r = check(n);
        assertEquals(List.of("W1", "b1"), r.failures().stream().map(TensorCheck::name).toList());
        InputBlame blame = r.blame();
        assertEquals(1, blame.layer());
        assertEquals("layer 2 (mine)", blame.where());
        assertEquals(List.of("W1", "b1"), blame.through());
        assertTrue(r.summary().startsWith("the input gradient of layer 2 (mine) is wrong, checked in place on the input "
                + "it receives: it "), r.summary());
        assertTrue(r.summary().contains("the tensors below it (W1, b1) fail through it, not through their own backward"),
                r.summary());
        // On its own, on inputs of the usual size (below 1), the same layer passes: the error shows only in place.
        Matrix small = Matrix.of(new double[][] {{0.5, -0.3, 0.2}, {0.1, 0.9, -0.8}});
        assertTrue(new GradientCheck().checkLayer(doubling(), small, 5).passed());
    }
}
