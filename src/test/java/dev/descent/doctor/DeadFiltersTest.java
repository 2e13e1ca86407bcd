package dev.descent.doctor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.Checks;
import dev.descent.data.Dataset;
import dev.descent.init.Initializer;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Shape;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * After a convolution, the doctor counts dead filters, not dead positions: a filter is dead when
 * its ReLU is off at every position of every watched image, and a filter that is off only where
 * the padding hides the image is alive.
 */
class DeadFiltersTest {
    private static final Shape IMAGE = new Shape(1, 6, 6);

    /** conv 3 filters k3 p1, relu, max pool 2, dense 2; the second filter's bias -100: dead everywhere. */
    private static Network network() {
        Network n = Network.builder(IMAGE).conv(3, 3, 1, 1).activation("relu").maxPool(2, 2).dense(2).build();
        Initializer.PYTORCH.initialize(n, 4);
        ((Conv2d) n.layers().get(0)).bias().value().data()[1] = -100;
        return n;
    }

    @Test
    void aFilterIsDeadWhenItIsOffAtEveryPosition() {
        Matrix x = Checks.random(new Random(1), 20, IMAGE.size());
        boolean[] active = Watcher.activity(network(), x).get(1);
        assertArrayEquals(new boolean[] {true, false, true}, active);
    }

    @Test
    void aFilterOffOnlyAtOnePositionIsAlive() {
        boolean[] positions = new boolean[2 * 4];
        positions[3] = true; // channel 0: one position of four active; channel 1: none
        assertArrayEquals(new boolean[] {true, false}, Watcher.perChannel(positions, new Shape(2, 2, 2)));
    }

    @Test
    void theDoctorNamesTheDeadFilterInItsLayer() {
        Random rng = new Random(2);
        Matrix x = Checks.random(rng, 200, IMAGE.size());
        int[] y = new int[200];
        for (int i = 0; i < y.length; i++) {
            y[i] = x.get(i, 14) > 0 ? 1 : 0;
        }
        Dataset data = new Dataset(x, y, List.of("a", "b"), "images");
        Recipe recipe = Recipe.forData().withLayers("conv3k3p1,pool2").withInputShape(IMAGE).withOptimizer("adam")
                .withLearningRate(0.01).withEpochs(3).withGivenParameters("the test's network");
        Diagnosis d = new Doctor(recipe).examine(network(), data);
        List<String> evidence = d.findings().stream().flatMap(f -> f.evidence().stream()).toList();
        assertTrue(evidence.stream().anyMatch(e -> e.startsWith("layer 2 (relu): 1 of 3 filters dead from the start")),
                d.findings().toString());
    }
}
