package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A task that fails and is run again by Spark gives what it would have given: θ and the history
 * of a fit with a failed task equal, bit for bit, those of a fit without one. On a local cluster
 * the failure ends the executor's JVM, losing its cached blocks, which Spark rebuilds from a
 * DataFrame that ends in a round-robin {@code repartition}. In barrier mode Spark runs the epoch's
 * whole stage again.
 */
class RetryTest {
    @AfterEach
    void noMoreFaults() {
        TestSpark.sc().setLocalProperty(Faults.PROPERTY, null);
    }

    @ParameterizedTest
    @CsvSource({"exact, jobs", "exact, barrier", "averaged, jobs", "averaged, barrier"})
    void aRetriedTaskGivesTheSameFit(String mode, String synchronization, @TempDir Path dir) {
        Dataset<Row> df = TestSpark.blobs(300, 4, 3, 3, 8).repartition(2);
        DescentClassifier classifier = new DescentClassifier().setLayers(8).setOptimizer("adam").setLearningRate(0.01)
                .setBatchSize(50).setEpochs(2).setTrainingMode(mode).setAveragingSteps(1).setNumPartitions(2)
                .setSynchronization(synchronization);
        DescentClassificationModel clean = classifier.fit(df);

        File marker = dir.resolve("failed").toFile();
        // block 1, epoch 2, its second synchronisation; on a local cluster the executor itself goes
        TestSpark.sc().setLocalProperty(Faults.PROPERTY, Faults.plan(1, 2, 1, marker, TestSpark.isCluster()));
        DescentClassificationModel retried = classifier.fit(df);

        assertTrue(marker.exists(), "the injected failure happened");
        assertArrayEquals(Theta.read(clean.model().network()), Theta.read(retried.model().network()));
        assertArrayEquals(clean.history().losses(), retried.history().losses());
    }
}
