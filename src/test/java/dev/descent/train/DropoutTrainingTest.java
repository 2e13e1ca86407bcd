package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SeedExample;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Dtype;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer drops only during its steps: what it evaluates, and what it leaves, is the whole network. */
class DropoutTrainingTest {
    static Network withDropout(Network plain) {
        List<Layer> layers = new ArrayList<>(plain.layers());
        layers.add(2, new Dropout(0.5, 3));
        return new Network(plain.inputSize(), layers);
    }

    static History train(Network n) {
        return new Trainer(new FusedBackprop(Dtype.FLOAT64), new SoftmaxCrossEntropy(Reduction.SUM),
                new GradientDescent(0.05), 30).batchSize(4).shuffleSeed(2).fit(n, SeedExample.dataset());
    }

    @Test
    void dropoutChangesTheStepsButNotTheEvaluation() {
        Network plain = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(plain, 1);
        Network dropped = withDropout(plain);
        History h = train(dropped);
        assertTrue(dropped.layers().stream().noneMatch(l -> l instanceof Dropout d && d.training()), "left evaluating");

        Dataset data = SeedExample.dataset();
        var loss = new SoftmaxCrossEntropy(Reduction.SUM);
        double whole = Evaluation.of(plain, loss, data).loss(); // the same dense layers, no dropout
        assertEquals(whole, Evaluation.of(dropped, loss, data).loss(), 0.0);
        assertTrue(h.last().loss() < h.first().loss(), "the loss falls");

        Network again = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(again, 1);
        History same = train(withDropout(again));
        assertEquals(h.rows(), same.rows().stream().map(r -> new History.Row(r.epoch(), r.loss(), r.accuracy(),
                r.validationLoss(), r.validationAccuracy(), h.rows().get(r.epoch()).seconds())).toList(),
                "the same seed draws the same masks");
        Network none = new Architecture(5, List.of(20), "relu", 10).build();
        Initializer.UNIFORM01.initialize(none, 1);
        assertNotEquals(h.last().loss(), train(none).last().loss(), "the masks changed the steps");
    }
}
