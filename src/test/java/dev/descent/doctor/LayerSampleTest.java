package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.Checks;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Shape;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-layer figures the live page and the report show, on a network of images. */
class LayerSampleTest {
    private static final Shape IMAGE = new Shape(1, 6, 6);

    /** conv 3 filters k3 p1, relu, max pool 2, (flatten), dense 4, relu, dense 2; the second filter's bias -100: dead everywhere. */
    private static Network network() {
        Network n = Network.builder(IMAGE).conv(3, 3, 1, 1).activation("relu").maxPool(2, 2).dense(4)
                .activation("relu").dense(2).build();
        Initializer.PYTORCH.initialize(n, 4);
        ((Conv2d) n.layers().get(0)).bias().value().data()[1] = -100;
        return n;
    }

    private static LayerSample sample(Network n) {
        Random rng = new Random(1);
        Matrix x = Checks.random(rng, 20, IMAGE.size());
        int[] y = new int[20];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2;
        }
        return LayerSample.of(n, new Backpropagation(), new SoftmaxCrossEntropy(Reduction.MEAN),
                new GradientDescent(0.1), x, y, x);
    }

    /** A convolution's bias is left out of the weight tensors as a dense layer's is: it starts at 0 or near it. */
    @Test
    void theWeightTensorsOfAConvolutionalNetworkLeaveItsBiasesOut() {
        assertEquals(List.of("conv1.W", "W1", "W2"), sample(network()).tensors());
    }

    /**
     * After a convolution a ReLU's filters are counted, as the doctor counts them (dead: off at every
     * position of every watched image), where after a dense layer its units are.
     */
    @Test
    void aReluAfterAConvolutionCountsDeadFiltersAndAfterADenseLayerUnits() {
        List<LayerSample.Units> units = sample(network()).units();
        assertEquals(2, units.size());
        assertEquals(new LayerSample.Units("layer 2 (relu)", "relu", 3, "filters", 1, 0), units.get(0));
        LayerSample.Units dense = units.get(1);
        assertEquals(List.of("layer 6 (relu)", 4, "units"), List.of(dense.layer(), dense.count(), dense.of()));
    }
}
