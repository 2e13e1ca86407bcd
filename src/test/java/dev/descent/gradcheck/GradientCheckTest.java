package dev.descent.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.TestLayers;
import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.init.Initializer;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientCheckTest {
    private static final Dataset DATA = SeedExample.dataset();

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
        assertTrue(r.summary().startsWith("the gradient of W1 has the wrong sign (cosine -1.0000"), r.summary());
    }

    @Test
    void doubledBackwardIsNamedAsAFactorOfTwo() {
        GradientCheckReport r = check(withSquare(2));
        TensorCheck w1 = r.tensor("W1");
        assertTrue(w1.constantFactor(), w1.toString());
        assertEquals(2.0, w1.ratio(), 1e-6);
        assertTrue(w1.diagnosis().startsWith("the gradient of W1 is off by a factor of 2.00"), w1.diagnosis());
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
}
