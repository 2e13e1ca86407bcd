package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import org.junit.jupiter.api.Test;

/**
 * Example 1: build the network of the thread, initialise it as the thread did, and train it by
 * gradient descent. This is the README's Java example, kept compiling and working.
 */
class Example01TrainTheSeedNetworkTest {
    @Test
    void readmeExampleTrains() {
        // --- README example starts
        Dataset data = SeedExample.dataset();
        Network net = Network.builder(5).dense(20).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(net, 42);

        Trainer trainer = new Trainer(
                TrainingStep.of(new Backpropagation()),  // or of(new CentralDifference())
                new SoftmaxCrossEntropy(Reduction.SUM),
                new GradientDescent(0.05),
                100);
        History history = trainer.fit(net, data);

        System.out.printf("loss %.3f -> %.3f, accuracy %.0f%%%n",
                history.first().loss(), history.last().loss(), 100 * history.last().accuracy());
        int[] predicted = net.predictClasses(data.featureMatrix());
        // --- README example ends
        assertTrue(history.last().loss() < history.first().loss() / 5);
        assertTrue(predicted.length == 10);
    }
}
