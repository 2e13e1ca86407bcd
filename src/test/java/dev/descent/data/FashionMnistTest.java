package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingStep;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Fashion-MNIST, from Debian's dataset-fashion-mnist (which .ci/run installs). Skipped on a
 * developer's machine without the package; in CI (CI=true) its absence is a failure.
 */
class FashionMnistTest {
    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    @BeforeAll
    static void requireTheDataSet() {
        if (!Files.isDirectory(DIR)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(DIR + " is missing: .ci/run must install dataset-fashion-mnist");
            }
            Assumptions.abort("apt-get install dataset-fashion-mnist to run this test");
        }
    }

    @Test
    void aFewThousandImagesTrainToAModestAccuracy() throws Exception {
        Dataset train = IdxDataset.training(DIR).head(3000);
        Dataset test = IdxDataset.test(DIR).head(1000);
        assertEquals("T-shirt/top", train.classNames().get(0));
        Network n = new Architecture(784, List.of(64), "relu", 10).build();
        Initializer.HE.initialize(n, 1);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(Reduction.MEAN);
        History h = new Trainer(TrainingStep.of(new Backpropagation()), loss, new GradientDescent(0.1), 3).batchSize(64).shuffleSeed(2)
                .fit(n, train);
        assertTrue(h.last().loss() < h.first().loss() / 2, h.first().loss() + " -> " + h.last().loss());
        double accuracy = Evaluation.of(n, loss, test).accuracy();
        assertTrue(accuracy > 0.70, "test accuracy " + accuracy);
    }

    @Test
    void sixtyThousandImagesTakeFarLessThanTwiceTheirFloat32Size() throws Exception {
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        Dataset train = IdxDataset.training(DIR);
        System.gc();
        long held = memory.getHeapMemoryUsage().getUsed() - before;
        long float32 = 60_000L * 784 * 4;
        assertEquals(60_000, train.size());
        assertTrue(held < 2 * float32, "held " + held / 1_000_000 + " MB for a " + float32 / 1_000_000 + " MB float32 set");
        assertEquals(0.0, train.features().get(0, 0));
    }
}
