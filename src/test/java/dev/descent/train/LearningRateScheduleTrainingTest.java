package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.data.SeedExample;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.layers.Parameter;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.optim.GradientDescent;
import dev.descent.optim.LearningRateSchedule;
import dev.descent.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer sets each epoch's learning rate from the schedule before the epoch's steps. */
class LearningRateScheduleTrainingTest {
    /** Plain gradient descent that records the learning rate of every step. */
    static final class Recording implements Optimizer {
        final GradientDescent sgd = new GradientDescent(1.0);
        final List<Double> rates = new ArrayList<>();
        double rate = 1.0;

        @Override
        public void learningRate(double rate) {
            this.rate = rate;
            sgd.learningRate(rate);
        }

        @Override
        public void begin(List<Parameter> parameters) {
            rates.add(rate);
        }

        @Override
        public void update(int tensor, double[] theta, int from, int to, double[] g, int gFrom) {
            sgd.update(tensor, theta, from, to, g, gFrom);
        }

        @Override
        public String describe() {
            return "recording " + sgd.describe();
        }
    }

    private static Network network() {
        Network n = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(n, 1);
        return n;
    }

    @Test
    void eachEpochStepsWithItsRate() {
        Recording optimizer = new Recording();
        LearningRateSchedule schedule = new LearningRateSchedule("step", 0.04, 6, 2, 2, 0.5);
        new Trainer(TrainingStep.of(new Backpropagation()), new SoftmaxCrossEntropy(Reduction.SUM), optimizer, 6)
                .schedule(schedule).batchSize(5).fit(network(), SeedExample.dataset());
        // two batches an epoch; warm-up 0.02, 0.04, then 0.04, 0.04, 0.02, 0.02
        List<Double> expected = new ArrayList<>();
        for (double r : new double[] {0.02, 0.04, 0.04, 0.04, 0.02, 0.02}) {
            expected.add(r);
            expected.add(r);
        }
        assertEquals(expected, optimizer.rates);
    }
}
