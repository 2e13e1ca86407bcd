package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task that fails and is run again by Spark gives what it would have given: θ and the history
 * of a fit with a failed task equal, bit for bit, those of a fit without one.
 */
class RetryTest {
    @AfterEach
    void noMoreFaults() {
        Faults.plan = null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "averaged"})
    void aRetriedTaskGivesTheSameFit(String mode) {
        Dataset<Row> df = TestSpark.blobs(300, 4, 3, 2, 8);
        DescentClassifier classifier = new DescentClassifier().setLayers(8).setOptimizer("adam").setLearningRate(0.01)
                .setBatchSize(50).setEpochs(2).setTrainingMode(mode).setAveragingSteps(1);
        DescentClassificationModel clean = classifier.fit(df);

        AtomicInteger made = new AtomicInteger();
        Faults.plan = new Faults.Plan(1, 2, 1, made); // partition 1, epoch 2, its second synchronisation
        DescentClassificationModel retried = classifier.fit(df);

        assertEquals(1, made.get(), "the injected failure happened once");
        assertArrayEquals(Theta.read(clean.model().network()), Theta.read(retried.model().network()));
        assertArrayEquals(clean.history().losses(), retried.history().losses());
    }
}
