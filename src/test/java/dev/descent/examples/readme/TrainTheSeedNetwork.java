package dev.descent.examples.readme;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import java.util.Arrays;

public class TrainTheSeedNetwork {
    public static void main(String[] args) {
        Dataset data = SeedExample.dataset();
        Network net = Network.builder(5).dense(20).relu().dense(10).build();
        Initializer.UNIFORM01.initialize(net, 42);

        Trainer trainer = new Trainer(
                new FusedBackprop(Dtype.FLOAT64),        // or TrainingStep.of(new CentralDifference())
                new SoftmaxCrossEntropy(Reduction.SUM),
                new GradientDescent(0.05),
                100);
        History history = trainer.fit(net, data);

        System.out.printf("loss %.3f -> %.3f, accuracy %.0f%%%n",
                history.first().loss(), history.last().loss(), 100 * history.last().accuracy());
        int[] predicted = net.predictClasses(data.featureMatrix());
        System.out.println("predicted " + Arrays.toString(predicted) + ", labels " + Arrays.toString(data.labels()));
    }
}
