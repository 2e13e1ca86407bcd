package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.TestLayers;
import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.doctor.Finding.Kind;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.optim.Optimizer;
import dev.descent.init.Initializer;
import dev.descent.layers.Layer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorTest {
    private static final Dataset SEED = SeedExample.dataset();

    private static Network seedNetwork(long seed) {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(n, seed);
        return n;
    }

    /** The seed example's run at {@code lr} for {@code epochs}, on the reference schedule, from the test's own network. */
    private static Doctor doctor(double lr, int epochs) {
        return new Doctor(Recipe.seedExample().withStep(TrainingStep.of(new Backpropagation())).withLearningRate(lr)
                .withEpochs(epochs).withGivenParameters("the test's network"));
    }

    private static History train(Network n, double lr, int epochs) {
        return new Trainer(TrainingStep.of(new Backpropagation()), new SoftmaxCrossEntropy(Reduction.SUM), new GradientDescent(lr), epochs)
                .fit(n, SEED);
    }

    @Test
    void theDefaultSeedRunIsHealthy() {
        Diagnosis d = doctor(0.05, 100).examine(seedNetwork(1), SEED);
        assertTrue(d.healthy(), d.findings().toString());
        assertEquals(Kind.HEALTHY, d.findings().get(0).kind());
        assertTrue(d.findings().get(0).title().startsWith("the loss fell from 29.2552 to 3.14266 over 100 epochs"));
        assertTrue(d.has(Kind.CONTRADICTORY_DATA));
        assertTrue(d.suggestedLearningRate().isEmpty());
    }

    @Test
    void learningRate50IsAStepTooLargeAndTheSuggestedRateLowersTheLoss() {
        Diagnosis d = doctor(50, 100).examine(seedNetwork(1), SEED);
        assertFalse(d.healthy());
        Finding f = d.get(Kind.STEP_TOO_LARGE);
        assertTrue(f.title().startsWith("the loss rose across a step of descent (epoch 1: 29.2552 -> "), f.title());
        assertTrue(f.evidence().get(0).contains("agree, so the gradient is right and the step is too large"));
        assertFalse(d.has(Kind.WRONG_GRADIENT));

        // A rate is judged by where its probe ends, not by whether it fell at every step: the first of 50/2,
        // 50/4, ... that ends clearly better, then one halving more for a margin, when that ends no worse.
        double lr = d.suggestedLearningRate().orElseThrow();
        assertEquals(50 / Math.pow(2, 9), lr);
        assertTrue(d.verification().get(0).startsWith("verified: this command's own run, probed for 100 epochs"),
                d.verification().toString());
        History h = train(seedNetwork(1), lr, 100);
        assertTrue(h.last().loss() < h.first().loss() / 3, h.first().loss() + " -> " + h.last().loss());
        assertTrue(h.last().accuracy() >= 0.8, "the seed data's ceiling: " + h.last().accuracy());
    }

    @Test
    void aDeadNetworkIsNamedWithTheLossItIsStuckAtUnderTheRateThatKilledIt() {
        Diagnosis d = doctor(0.5, 100).examine(seedNetwork(1), SEED);
        // one cause, one problem: the rate that was too large, the dead layer as its evidence
        assertFalse(d.has(Kind.DEAD_NETWORK), d.findings().toString());
        assertEquals(1, d.problems(), d.findings().toString());
        List<String> evidence = d.get(Kind.STEP_TOO_LARGE).evidence();
        assertTrue(evidence.contains("a whole ReLU layer died: layer 2 (relu): 20 of 20 units dead, the earliest since "
                + "epoch 2"), evidence.toString());
        assertTrue(evidence.stream().anyMatch(e -> e.contains("can do no better than 23.0259 (n ln k = 10 ln 10")),
                evidence.toString());
        assertEquals(10 * Math.log(10), d.history().last().loss(), 1e-6);
        assertEquals(0.125, d.suggestedLearningRate().orElseThrow());
    }

    @Test
    void aWrongGradientIsNotMistakenForAStepTooLarge() {
        Network n = Network.builder(5).dense(20).add(TestLayers.elementwise("flipped", x -> x, (x, dy) -> -dy)).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(n, 1);
        Diagnosis d = doctor(0.05, 30).examine(n, SEED);
        Finding f = d.get(Kind.WRONG_GRADIENT);
        assertTrue(f.evidence().stream().anyMatch(e -> e.startsWith("the gradient of W1 has the wrong sign")), f.evidence().toString());
        // The sign enters through the flipped layer's dx: it is named, not the dense layer below it.
        assertTrue(f.suggestion().startsWith("fix the input gradient (dx) that layer 2 (flipped)'s backward returns: "
                + "W1, b1 below it fail through it"), f.suggestion());
        assertFalse(d.has(Kind.STEP_TOO_LARGE));
        assertTrue(d.suggestedLearningRate().isEmpty());
    }

    @Test
    void aForwardThatDrawsFreshNoiseIsNamedAsNotRepeatableNotAsAWrongGradient() {
        Network n = Network.builder(5).dense(20).add(TestLayers.noisy(0.01, 7)).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(n, 1);
        Diagnosis d = doctor(0.05, 30).examine(n, SEED);
        assertFalse(d.has(Kind.WRONG_GRADIENT), d.findings().toString());
        Finding f = d.get(Kind.NON_REPEATABLE_FORWARD);
        assertEquals("the forward pass is not repeatable: layer 2 (noisy) gives different outputs for the same input",
                f.title());
        assertTrue(f.evidence().get(0).startsWith("two forward passes at the starting parameters, on the first 10 "
                + "samples, at the same parameters, gave the losses "), f.evidence().toString());
        assertTrue(f.suggestion().startsWith("make layer 2 (noisy) draw its random numbers from a seed"), f.suggestion());
        assertFalse(d.healthy());

        // The same layer without noise: its backward is right, and the doctor says nothing about gradients.
        Network quiet = Network.builder(5).dense(20).add(TestLayers.noisy(0, 7)).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(quiet, 1);
        Diagnosis q = doctor(0.05, 30).examine(quiet, SEED);
        assertFalse(q.has(Kind.NON_REPEATABLE_FORWARD), q.findings().toString());
        assertFalse(q.has(Kind.WRONG_GRADIENT), q.findings().toString());
    }

    @Test
    void aReluUnitOnItsKinkAtTheStartIsNotAWrongGradient() {
        Network n = seedNetwork(1);
        dev.descent.layers.Dense first = (dev.descent.layers.Dense) n.layers().get(0);
        double pre = 0;
        for (int i = 0; i < 5; i++) {
            pre += SEED.featureMatrix().get(0, i) * first.weights().value().get(i, 0);
        }
        first.bias().value().set(0, 0, -pre);
        Diagnosis d = doctor(0.05, 30).examine(n, SEED);
        assertFalse(d.has(Kind.WRONG_GRADIENT), d.findings().toString());
        assertFalse(d.has(Kind.NON_REPEATABLE_FORWARD), d.findings().toString());
    }

    @Test
    void anInjectedNaNIsLocatedByEpochStepAndLayer() {
        // Under lr 0.05 the largest hidden pre-activation starts near 3.12 and grows past 3.3 mid-run.
        double limit = 3.3;
        // The same network without the poison follows the same path until a hidden pre-activation
        // first exceeds the limit: find that epoch independently.
        Network clean = Network.builder(5).dense(20).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(clean, 1);
        int expected = -1;
        Trainer one = new Trainer(TrainingStep.of(new Backpropagation()), new SoftmaxCrossEntropy(Reduction.SUM), new GradientDescent(0.05), 1);
        for (int epoch = 1; epoch <= 100 && expected < 0; epoch++) {
            one.fit(clean, SEED);
            Matrix pre = clean.forwardTrace(SEED.featureMatrix()).get(0);
            for (double v : pre.data()) {
                if (v > limit) {
                    expected = epoch;
                    break;
                }
            }
        }
        assertTrue(expected > 1, "the limit is crossed after a few epochs, not at once: " + expected);

        Network poisoned = Network.builder(5).dense(20).add(TestLayers.elementwise("nan-above", x -> x > limit ? Double.NaN : x, (x, dy) -> dy)).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(poisoned, 1);
        Diagnosis d = doctor(0.05, 100).examine(poisoned, SEED);
        Diagnosis.NotFinite nf = d.notFinite().orElseThrow();
        assertEquals(new Diagnosis.NotFinite(expected, 1, "forward pass after the update", "layer 2 (nan-above)"), nf);
        assertTrue(d.get(Kind.NOT_FINITE).title().equals("NaN or infinity appeared at epoch " + expected
                + ", step 1, in the forward pass after the update: layer 2 (nan-above)"), d.get(Kind.NOT_FINITE).title());
        assertEquals(expected, d.history().last().epoch());
    }

    @Test
    void aNaNInTheStartingParametersIsFoundThere() {
        Network n = seedNetwork(1);
        n.parameters().get(2).value().set(3, 4, Double.NaN);
        Diagnosis d = doctor(0.05, 10).examine(n, SEED);
        assertEquals(new Diagnosis.NotFinite(0, 0, "parameters", "W2"), d.notFinite().orElseThrow());
        assertEquals(0, d.history().last().epoch());
    }

    @Test
    void conflictingRowsGiveTheFloorAndCeilingWorkedOutByHand() {
        // Rows 1-3 share [0, 0] with labels a, a, b; rows 4-5 share [1, 1] with labels c, d; row 6 is alone.
        Matrix x = Matrix.of(new double[][] {{0, 0}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, {2, 2}});
        Dataset data = new Dataset(x, new int[] {0, 0, 1, 2, 3, 0}, List.of("a", "b", "c", "d"), "hand-made");
        Contradictions c = Contradictions.of(data);
        // Best: predict a for [0,0] (2 right), either for [1,1] (1 right), a for [2,2]: 4 of 6.
        assertEquals(4, c.maxCorrect());
        // Floor: p = (2/3, 1/3) on the first group, (1/2, 1/2) on the second, certainty on the last.
        double floor = -2 * Math.log(2.0 / 3) - Math.log(1.0 / 3) - 2 * Math.log(0.5);
        assertEquals(floor, c.summedFloor(), 1e-12);
        assertEquals(floor / 6, c.lossFloor(Reduction.MEAN), 1e-12);

        Network n = new Architecture(2, List.of(8), "tanh", 4).build();
        Initializer.XAVIER.initialize(n, 1);
        Diagnosis d = doctor(0.1, 50).examine(n, data);
        Finding f = d.get(Kind.CONTRADICTORY_DATA);
        assertEquals("rows 1, 2, 3: the same input [0, 0] with labels a, a, b", f.evidence().get(0));
        assertEquals("rows 4, 5: the same input [1, 1] with labels c, d", f.evidence().get(1));
        assertEquals(String.format("no model can beat 66.7%% accuracy (4 of 6) or a loss of %.6g", floor), f.evidence().get(2));
    }

    /**
     * The seed thread's third bug: each parameter updated while the rest of the gradient is still
     * being measured. Its gradients() are right (central differences at one θ), so the gradient check
     * passes, and the loss falls; only the step shows it.
     */
    private static TrainingStep inPlace(double lr) {
        CentralDifference central = new CentralDifference();
        return new TrainingStep() {
            @Override
            public GradientSource.Result step(Network n, Loss loss, Matrix x, int[] labels, Optimizer optimizer) {
                Matrix out = n.forward(x).copy();
                double l = loss.forward(out, labels);
                for (Parameter p : n.parameters()) {
                    for (int i = 0; i < p.size(); i++) {
                        p.value().data()[i] -= lr * central.partial(n, loss, x, labels, p, i); // WRONG: θ moves mid-measure
                    }
                }
                return new GradientSource.Result(l, out);
            }

            @Override
            public GradientSource gradients() {
                return central;
            }
        };
    }

    @Test
    void aStepThatUpdatesWhileTheGradientIsMeasuredIsNamedEvenThoughTheLossFalls() {
        Recipe run = Recipe.seedExample().withStep(inPlace(0.05)).withEpochs(30).withGivenParameters("the test's");
        Diagnosis d = new Doctor(run).examine(seedNetwork(1), SEED);
        assertTrue(d.history().last().loss() < d.history().first().loss() / 2, "the loss falls all the same");
        assertFalse(d.has(Kind.WRONG_GRADIENT), d.findings().toString());
        Finding f = d.get(Kind.WRONG_STEP);
        assertEquals("the step updates parameters while the gradient is still being measured", f.title());
        assertTrue(f.evidence().get(1).startsWith("1 entry with a non-zero step matched it before W1[0][1]"),
                f.evidence().toString());
        assertTrue(f.suggestion().startsWith("measure every partial derivative at the same θ"), f.suggestion());
        assertEquals(Finding.Severity.PROBLEM, f.severity());

        // The same source in the plain step: every partial at one θ, then one update. Nothing to say.
        Recipe right = Recipe.seedExample().withStep(TrainingStep.of(new CentralDifference())).withEpochs(30)
                .withGivenParameters("the test's");
        Diagnosis fine = new Doctor(right).examine(seedNetwork(1), SEED);
        assertFalse(fine.has(Kind.WRONG_STEP), fine.findings().toString());
        assertTrue(fine.healthy(), fine.findings().toString());
    }

    /** The same bug in a gradient source of one's own: each entry is measured, then moved by lr times it, in place. */
    private static GradientSource measuringInPlace(double lr) {
        CentralDifference central = new CentralDifference();
        return new GradientSource() {
            @Override
            public Result computeGradients(Network n, Loss loss, Matrix x, int[] labels) {
                Matrix out = n.forward(x).copy();
                double l = loss.forward(out, labels);
                n.zeroGrad();
                for (Parameter p : n.parameters()) {
                    for (int i = 0; i < p.size(); i++) {
                        double d = central.partial(n, loss, x, labels, p, i);
                        p.grad().data()[i] = d;
                        p.value().data()[i] -= lr * d; // WRONG: θ moves while the gradient is measured
                    }
                }
                return new Result(l, out);
            }

            @Override
            public String describe() {
                return "central differences, updated in place";
            }
        };
    }

    @Test
    void aGradientSourceThatMovesTheParametersWhileItMeasuresIsNamedAsTheStepNotAsAWrongGradient() {
        Recipe run = Recipe.seedExample().withStep(TrainingStep.of(measuringInPlace(0.05))).withEpochs(30)
                .withGivenParameters("the test's");
        Diagnosis d = new Doctor(run).examine(seedNetwork(1), SEED);
        assertFalse(d.has(Kind.WRONG_GRADIENT), d.findings().toString());
        Finding f = d.get(Kind.WRONG_STEP);
        assertEquals("the step updates parameters while the gradient is still being measured", f.title());
        assertTrue(f.evidence().get(1).startsWith("the step's gradient source itself moved the parameters while it "
                + "measured (first W1[0][0])"), f.evidence().toString());

        // The gradient check says so too, and compares the gradients where the source started.
        Network n = seedNetwork(1);
        List<Matrix> before = n.snapshot();
        GradientCheckReport r = new GradientCheck().check(measuringInPlace(0.05), n,
                new SoftmaxCrossEntropy(Reduction.SUM), SEED.featureMatrix(), SEED.labels());
        assertFalse(r.passed());
        assertEquals("W1[0][0]", r.moved());
        assertTrue(r.summary().startsWith("the gradient source changed the parameters while it computed the gradients "
                + "(first W1[0][0])"), r.summary());
        assertEquals(before, n.snapshot());
    }

    @Test
    void aSignErrorDeepInASigmoidNetworkIsAWrongGradientThoughItsGradientsAreTiny() {
        Network.Builder b = Network.builder(5).dense(16).activation("sigmoid")
                .add(TestLayers.elementwise("flipped", x -> x, (x, dy) -> -dy));
        for (int i = 1; i < 8; i++) {
            b.dense(16).activation("sigmoid");
        }
        Network n = b.dense(10).build();
        Initializer.XAVIER.initialize(n, 4);
        Diagnosis d = doctor(0.05, 20).examine(n, SEED);
        Finding f = d.get(Kind.WRONG_GRADIENT);
        assertTrue(f.evidence().stream().anyMatch(e -> e.startsWith("the gradient of W1 has the wrong sign")),
                f.evidence().toString());
        assertTrue(f.suggestion().startsWith("fix the input gradient (dx) that layer 3 (flipped)'s backward returns"),
                f.suggestion());
    }
}
