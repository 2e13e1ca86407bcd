package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.doctor.Diagnosis;
import dev.descent.doctor.Doctor;
import dev.descent.doctor.Finding;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import org.junit.jupiter.api.Test;

/**
 * Example 2: the wrong way next to the right way. The learner of the thread measured each partial
 * derivative as (L(θ−h) − L(θ+h)) / 2h: the gradient with its sign reversed, so every step of
 * "descent" climbed. The right way is (L(θ+h) − L(θ−h)) / 2h, every entry measured at the same θ,
 * then one update of all parameters ({@link CentralDifference}).
 */
class Example02TheThreadsBugAndItsFixTest {
    private static final Dataset DATA = SeedExample.dataset();
    private static final double THREAD_LR = 0.5, THREAD_H = 1e-7;

    /** WRONG: the thread's central difference, with its two evaluations subtracted the wrong way round. */
    static final class ReversedCentralDifference implements GradientSource {
        @Override
        public Result computeGradients(Network network, Loss loss, Matrix x, int[] labels) {
            Matrix output = network.forward(x).copy();
            double value = loss.forward(output, labels);
            network.zeroGrad();
            for (Parameter p : network.parameters()) {
                double[] theta = p.value().data(), grad = p.grad().data();
                for (int i = 0; i < theta.length; i++) {
                    double original = theta[i];
                    theta[i] = original + THREAD_H;
                    double up = GradientSource.loss(network, loss, x, labels);
                    theta[i] = original - THREAD_H;
                    double down = GradientSource.loss(network, loss, x, labels);
                    theta[i] = original;
                    grad[i] += (down - up) / (2 * THREAD_H); // WRONG: (L(θ−h) − L(θ+h)) / 2h
                }
            }
            return new Result(value, output);
        }

        @Override
        public String describe() {
            return "the thread's reversed central difference";
        }
    }

    private static History train(GradientSource gradients) {
        Network n = Network.builder(5).dense(20).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(n, 1);
        return new Trainer(TrainingStep.of(gradients), new SoftmaxCrossEntropy(Reduction.SUM), new GradientDescent(THREAD_LR), 20)
                .fit(n, DATA);
    }

    @Test
    void theWrongWayClimbsAtEveryStep() {
        double[] loss = train(new ReversedCentralDifference()).losses();
        for (int e = 1; e < loss.length; e++) {
            assertTrue(loss[e] >= loss[e - 1], "epoch " + e + ": " + loss[e - 1] + " -> " + loss[e]);
        }
        assertTrue(loss[20] > 2 * loss[0], loss[0] + " -> " + loss[20]);
    }

    @Test
    void theRightWayDescends() {
        History h = train(new CentralDifference(THREAD_H));
        assertTrue(h.last().loss() < h.first().loss(), h.first().loss() + " -> " + h.last().loss());
    }

    /**
     * Handed to the doctor as a user's own gradient source, the thread's reversed difference is
     * named for what it is, a wrong gradient with a flipped sign, not a step that is too large:
     * the doctor checks the source the run trains with.
     */
    @Test
    void theDoctorNamesTheReversedDifferenceAsAWrongGradientWithAFlippedSign() {
        Network n = Network.builder(5).dense(20).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(n, 1);
        Diagnosis d = new Doctor(Recipe.seedExample().withStep(TrainingStep.of(new ReversedCentralDifference()))
                .withEpochs(10)).examine(n, DATA);
        Finding f = d.get(Finding.Kind.WRONG_GRADIENT);
        assertTrue(f.evidence().stream().anyMatch(e -> e.startsWith("the gradient of W1 has the wrong sign (cosine -1.0")),
                f.evidence().toString());
        assertTrue(f.evidence().stream().anyMatch(e -> e.startsWith("the gradient of b2 has the wrong sign")),
                f.evidence().toString());
        assertTrue(f.suggestion().startsWith("fix the backward pass that feeds W1, b1, W2, b2"), f.suggestion());
        assertFalse(d.has(Finding.Kind.STEP_TOO_LARGE), d.findings().toString());
    }
}
