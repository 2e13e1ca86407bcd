package dev.descent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.gradient.Backpropagation;
import dev.descent.gradient.CentralDifference;
import dev.descent.gradient.GradientSource;
import dev.descent.init.Initializer;
import dev.descent.layers.Parameter;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The network of the original thread: 5 -> 20 ReLU -> 10 softmax, summed cross-entropy, weights in [0,1). */
class SeedNetworkTest {
    private static final Dataset DATA = SeedExample.dataset();
    private static final double DEFAULT_LR = 0.05;

    private static Network seedNetwork(long seed) {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(n, seed);
        return n;
    }

    private static History train(long seed, GradientSource source, double lr, int epochs) {
        return new Trainer(TrainingStep.of(source), new SoftmaxCrossEntropy(Reduction.SUM), new GradientDescent(lr), epochs)
                .fit(seedNetwork(seed), DATA);
    }

    @Test
    void backpropAndCentralDifferencesAgreeOnEveryTensor() {
        Network net = seedNetwork(1);
        Loss loss = new SoftmaxCrossEntropy(Reduction.SUM);
        new Backpropagation().computeGradients(net, loss, DATA.featureMatrix(), DATA.labels());
        List<Matrix> analytic = net.parameters().stream().map(p -> p.grad().copy()).toList();
        new CentralDifference().computeGradients(net, loss, DATA.featureMatrix(), DATA.labels());
        for (int t = 0; t < analytic.size(); t++) {
            Parameter p = net.parameters().get(t);
            double diff = 0, norm = 0;
            for (int i = 0; i < p.size(); i++) {
                double a = analytic.get(t).data()[i], n = p.grad().data()[i];
                diff = Math.max(diff, Math.abs(a - n));
                norm = Math.max(norm, Math.max(Math.abs(a), Math.abs(n)));
            }
            assertTrue(diff / norm < Checks.GRAD_RTOL, p.name() + ": max difference " + diff + " of max " + norm);
        }
    }

    @Test
    void backpropAndNumericalTrainingRunsAgree() {
        double[] backprop = train(1, new Backpropagation(), DEFAULT_LR, 100).losses();
        double[] numerical = train(1, new CentralDifference(), DEFAULT_LR, 100).losses();
        assertEquals(101, numerical.length);
        for (int e = 0; e < backprop.length; e++) {
            assertEquals(backprop[e], numerical[e], 1e-6 * Math.abs(backprop[e]), "epoch " + e);
        }
    }

    @Test
    void defaultsReachTheCeilingForEverySeed() {
        for (long seed = 0; seed < 50; seed++) {
            History h = train(seed, new Backpropagation(), DEFAULT_LR, 100);
            assertEquals(SeedExample.MAX_ACCURACY, h.last().accuracy(), 1e-12, "seed " + seed);
            assertTrue(h.last().loss() < h.first().loss() / 5, "seed " + seed + ": " + h.first().loss() + " -> " + h.last().loss());
            assertTrue(h.last().loss() > SeedExample.MIN_SUMMED_LOSS);
        }
    }

    @Test
    void runsRepeatBitForBit() {
        assertArrayEquals(train(7, new Backpropagation(), DEFAULT_LR, 50).losses(),
                train(7, new Backpropagation(), DEFAULT_LR, 50).losses());
        assertArrayEquals(train(7, new CentralDifference(), DEFAULT_LR, 5).losses(),
                train(7, new CentralDifference(), DEFAULT_LR, 5).losses());
    }

    @Test
    void centralDifferenceLeavesParametersExactlyAsTheyWere() {
        Network net = seedNetwork(3);
        List<Matrix> before = net.snapshot();
        new CentralDifference().computeGradients(net, new SoftmaxCrossEntropy(Reduction.SUM), DATA.featureMatrix(), DATA.labels());
        assertEquals(before, net.snapshot());
    }
}
