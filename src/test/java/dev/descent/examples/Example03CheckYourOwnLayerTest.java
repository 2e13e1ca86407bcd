package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.doctor.Diagnosis;
import dev.descent.doctor.Doctor;
import dev.descent.doctor.Finding;
import dev.descent.fused.FusedBackprop;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.layers.Layer;
import dev.descent.layers.Parameter;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Example 3, the one in docs/diagnostics.md: a layer of your own, written the wrong way and the
 * right way, and the gradient check that tells them apart. Put such a test beside every layer you
 * write.
 */
class Example03CheckYourOwnLayerTest {
    /** y = x ⊙ s, a learnable scale per unit. x: (N, k)  s: (1, k)  ->  y: (N, k). */
    static final class Scale implements Layer {
        private final Parameter scale;
        private final boolean wrongSign;
        private Matrix input; // cached by forward for the gradient of s

        Scale(int units, boolean wrongSign) {
            Matrix s = new Matrix(1, units);
            for (int j = 0; j < units; j++) {
                s.set(0, j, 0.5 + 0.25 * j);
            }
            this.scale = new Parameter("s", s);
            this.wrongSign = wrongSign;
        }

        @Override
        public Matrix forward(Matrix x) {
            input = x;
            Matrix y = new Matrix(x.rows(), x.cols());
            for (int r = 0; r < x.rows(); r++) {
                for (int j = 0; j < x.cols(); j++) {
                    y.set(r, j, x.get(r, j) * scale.value().get(0, j));
                }
            }
            return y;
        }

        @Override
        public Matrix backward(Matrix dY) {
            // ds_j += Σ_n x_nj dY_nj    dx_nj = dY_nj s_j
            Matrix dX = new Matrix(dY.rows(), dY.cols());
            for (int r = 0; r < dY.rows(); r++) {
                for (int j = 0; j < dY.cols(); j++) {
                    double ds = input.get(r, j) * dY.get(r, j);
                    // WRONG: "-=" is the thread's sign error; RIGHT: "+=".
                    scale.grad().data()[j] += wrongSign ? -ds : ds;
                    dX.set(r, j, dY.get(r, j) * scale.value().get(0, j));
                }
            }
            return dX;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(scale);
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public String kind() {
            return "scale";
        }
    }

    private static final Matrix X = Matrix.of(new double[][] {{1, -2, 3}, {0.5, 4, -1}});

    @Test
    void theWrongWayIsCaughtAndNamed() {
        GradientCheckReport report = new GradientCheck().checkLayer(new Scale(3, true), X, 42);
        assertTrue(report.tensor("input").passed());
        assertTrue(report.tensor("s").signFlipped());
        assertEquals("the gradient of s has the wrong sign (cosine -1.0000 with the central differences)",
                report.summary());
    }

    @Test
    void theRightWayPasses() {
        GradientCheckReport report = new GradientCheck().checkLayer(new Scale(3, false), X, 42);
        assertTrue(report.passed(), report.toString());
    }

    private static Network withScale(boolean wrongSign) {
        Network n = Network.builder(5).dense(8).add(new Scale(8, wrongSign)).relu().dense(10).build();
        Initializer.PYTORCH.initialize(n, 3);
        return n;
    }

    /**
     * A network holding your layer trains through the same step as any other: the fused step
     * cannot schedule it, so it runs the reference schedule, and the loss falls.
     */
    @Test
    void aNetworkWithYourLayerTrains() {
        Dataset data = SeedExample.dataset();
        Network n = withScale(false);
        assertFalse(FusedBackprop.schedules(n, new SoftmaxCrossEntropy(Reduction.SUM)));
        History h = new Trainer(new FusedBackprop(Dtype.FLOAT64), new SoftmaxCrossEntropy(Reduction.SUM),
                new GradientDescent(0.05), 200).fit(n, data);
        assertTrue(h.last().loss() < h.first().loss() / 2, h.first().loss() + " -> " + h.last().loss());
    }

    /** The check of the step that trains finds your layer's wrong sign inside a whole network, and names its tensor. */
    @Test
    void theStepThatTrainsIsCheckedWithYourLayerInIt() {
        Dataset data = SeedExample.dataset();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.SUM);
        GradientCheckReport right = new GradientCheck().check(new FusedBackprop(Dtype.FLOAT64), withScale(false), loss,
                data.featureMatrix(), data.labels());
        assertTrue(right.passed(), right.toString());
        GradientCheckReport wrong = new GradientCheck().check(new FusedBackprop(Dtype.FLOAT64), withScale(true), loss,
                data.featureMatrix(), data.labels());
        assertEquals(List.of("scale2.s"), wrong.failures().stream().map(t -> t.name()).toList());
        assertTrue(wrong.tensor("scale2.s").signFlipped());
    }

    /** The doctor names it too, although the loss still falls: it checks the gradients before training. */
    @Test
    void theDoctorNamesYourLayersWrongSignWhileTheLossFalls() {
        Dataset data = SeedExample.dataset();
        Recipe run = Recipe.seedExample().withEpochs(50).withGivenParameters("a network with your layer");
        Diagnosis d = new Doctor(run).examine(withScale(true), data);
        assertTrue(d.history().last().loss() < d.history().first().loss(), "the loss falls all the same");
        Finding f = d.get(Finding.Kind.WRONG_GRADIENT);
        assertEquals("the gradients the run descends along are wrong, before any step is taken", f.title());
        assertTrue(f.evidence().contains("the gradient of scale2.s has the wrong sign (cosine -1.0000 with the central "
                + "differences)"), f.evidence().toString());
        assertTrue(new Doctor(run).examine(withScale(false), data).findings().stream()
                .noneMatch(x -> x.kind() == Finding.Kind.WRONG_GRADIENT));
    }
}
