package dev.descent.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.data.Dataset;
import dev.descent.init.Initializer;
import dev.descent.layers.Dropout;
import dev.descent.loss.ClassWeights;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.Evaluation;
import dev.descent.train.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A data set evaluated on the fused schedule (the forward pass on every core, in the step's type)
 * against the reference {@link Evaluation#of}: to rounding in float64, to float32's rounding in
 * float32, for dense networks and networks of images, with class weights, with dropout (which
 * evaluation leaves out), and in chunks that leave a short one at the end.
 */
class FusedEvaluationTest {
    private static Dataset data(Random rng, int n, int in, int classes) {
        Matrix x = Checks.random(rng, n, in);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        List<String> names = java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList();
        return new Dataset(x, y, names, "random");
    }

    @ParameterizedTest
    @CsvSource({"1, MEAN, false", "31, SUM, false", "999, MEAN, true", "2500, MEAN, false", "2500, SUM, true"})
    void aDenseNetworkEvaluatesAsTheReferenceDoes(int n, Reduction reduction, boolean weighted) {
        Random rng = new Random(n);
        Dataset d = data(rng, n, 30, 4);
        Network net = new Architecture(30, List.of(20, 12), "relu", 4).build();
        Initializer.PYTORCH.initialize(net, n);
        Loss loss = weighted ? new SoftmaxCrossEntropy(reduction,
                ClassWeights.of(Map.of("0", 3.0, "2", 0.5)).resolve(d.classNames(), d.labels()))
                : new SoftmaxCrossEntropy(reduction);
        agree(net, loss, d);
    }

    @Test
    void dropoutIsLeftOutOfAnEvaluation() {
        Random rng = new Random(7);
        Dataset d = data(rng, 1500, 30, 4);
        Network plain = new Architecture(30, List.of(20), "relu", 4).build();
        Initializer.PYTORCH.initialize(plain, 7);
        Network net = plain.withLayers(List.of(plain.layers().get(0), plain.layers().get(1), new Dropout(0.5, 3),
                plain.layers().get(2)));
        Dropout.evaluate(net.layers());
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        agree(net, loss, d);
        Evaluation withoutDropout = Evaluation.of(plain, loss, d);
        assertEquals(withoutDropout.loss(), new FusedBackprop(Dtype.FLOAT64).evaluate(net, loss, d).loss(),
                1e-12 * withoutDropout.loss());
    }

    @Test
    void aNetworkOfImagesEvaluatesAsTheReferenceDoes() {
        Random rng = new Random(3);
        Dataset d = data(rng, 1234, 2 * 8 * 8, 5);
        Network net = FusedImagesTest.network("relu", 3);
        agree(net, new SoftmaxCrossEntropy(Reduction.MEAN), d);
    }

    /**
     * After float32 steps (θ kept in float within a run, written back when it closes), the
     * evaluation sees the θ the steps left: the reference evaluation of the same network agrees.
     */
    @Test
    void anEvaluationAfterARunSeesWhatTheRunLeft() {
        Random rng = new Random(11);
        Dataset d = data(rng, 2048, 30, 4);
        Network net = new Architecture(30, List.of(20), "relu", 4).build();
        Initializer.PYTORCH.initialize(net, 11);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        FusedBackprop step = new FusedBackprop(Dtype.FLOAT32);
        Evaluation before = step.evaluate(net, loss, d);
        int[] order = new int[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Matrix x = new Matrix(128, 30);
        try (TrainingStep.Run run = step.run(net, loss, Optimizers.create("sgd", 0.5))) {
            for (int b = 0; b < 16; b++) {
                run.step(d.features(), order, b * 128, x, java.util.Arrays.copyOfRange(d.labels(), b * 128, b * 128 + 128));
            }
        }
        Evaluation after = step.evaluate(net, loss, d);
        assertTrue(after.loss() < before.loss(), "16 steps of SGD lower the loss: " + before.loss() + " -> "
                + after.loss());
        Evaluation reference = Evaluation.of(net, loss, d);
        assertEquals(reference.loss(), after.loss(), 1e-5 * reference.loss());
    }

    /**
     * An evaluation in blocks of 1,000 rows of 2,000 features (2M values, over
     * {@link Schedule#COPIED_INPUT}) before any step does not decide how the steps read their
     * input: 128-row steps still give each core a copy of its own, and give the reference step's
     * gradients; and the evaluation after them still agrees.
     */
    @Test
    void anEvaluationOfLargeBlocksLeavesTheStepsTheirCopiesOfTheInput() {
        Random rng = new Random(5);
        Dataset d = data(rng, 2000, 2000, 3);
        Network net = new Architecture(2000, List.of(16), "relu", 3).build();
        Initializer.PYTORCH.initialize(net, 5);
        Loss loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        Schedule<float[]> schedule = Schedule.of(Ops.FLOAT32, net);
        int[] order = new int[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Matrix logits = new Matrix(1000, 3);
        schedule.forward(new Schedule.Rows(d.features(), order, 0), 1000,
                java.util.Arrays.copyOf(d.labels(), 1000), loss, logits, true);
        assertTrue(!schedule.copiesInput(), "1,000 rows of 2,000: one shared input");
        Matrix x = new Matrix(128, 2000), out = new Matrix(128, 3);
        schedule.step(x, new Schedule.Rows(d.features(), order, 0), java.util.Arrays.copyOf(d.labels(), 128), loss,
                1.0 / 128, out, null, net.parameters(), false, false);
        assertEquals(dev.descent.tensor.Parallel.THREADS > 1, schedule.copiesInput(),
                "128 rows: a copy per core, as if no evaluation had come first");
        agree(net, loss, d);
    }

    private static void agree(Network net, Loss loss, Dataset d) {
        Evaluation reference = Evaluation.of(net, loss, d);
        Evaluation f64 = new FusedBackprop(Dtype.FLOAT64).evaluate(net, loss, d);
        Evaluation f32 = new FusedBackprop(Dtype.FLOAT32).evaluate(net, loss, d);
        assertEquals(reference.loss(), f64.loss(), 1e-12 * Math.abs(reference.loss()), "float64 loss");
        assertEquals(reference.correct(), f64.correct(), "float64: the same predictions");
        assertEquals(reference.count(), f64.count());
        assertEquals(reference.loss(), f32.loss(), 1e-5 * Math.abs(reference.loss()), "float32 loss");
        assertTrue(Math.abs(reference.correct() - f32.correct()) <= d.size() / 500 + 1,
                "float32: predictions differ only at near ties: " + reference.correct() + " against " + f32.correct());
    }
}
