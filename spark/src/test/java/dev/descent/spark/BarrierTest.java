package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import dev.descent.train.TrainingListener;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * An epoch as one barrier stage trains exactly what a job per synchronisation trains: with two
 * blocks the sums are the same in either order, so θ and the history are equal bit for bit.
 */
class BarrierTest {
    @ParameterizedTest
    @ValueSource(strings = {"exact", "averaged"})
    void aBarrierStagePerEpochEqualsAJobPerSynchronisation(String mode) {
        Dataset<Row> df = TestSpark.blobs(400, 5, 3, 2, 21);
        DescentClassifier classifier = new DescentClassifier().setLayers(12).setOptimizer("adam").setLearningRate(0.01)
                .setBatchSize(32).setEpochs(3).setTrainingMode(mode).setAveragingSteps(3).setNumPartitions(2)
                .setValidationFraction(0.25);
        List<Integer> seen = new ArrayList<>();
        DescentClassificationModel jobs = classifier.copy(new org.apache.spark.ml.param.ParamMap())
                .setSynchronization("jobs").fit(df);
        DescentClassificationModel barrier = classifier.setSynchronization("barrier")
                .addListener(new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int batch, int batches, int samples, double runningLoss) {
                        seen.add(batch);
                    }
                }).fit(df);

        assertArrayEquals(Theta.read(jobs.model().network()), Theta.read(barrier.model().network()));
        assertArrayEquals(jobs.history().losses(), barrier.history().losses());
        for (int e = 0; e < jobs.history().rows().size(); e++) {
            assertEquals(jobs.history().rows().get(e).validationLoss(), barrier.history().rows().get(e).validationLoss());
            assertEquals(jobs.history().rows().get(e).accuracy(), barrier.history().rows().get(e).accuracy());
        }
        int perEpoch = mode.equals("exact") ? 10 : 4; // 300 training rows or so at 32 a step; averaged every 3 steps
        assertEquals(3 * perEpoch, seen.size(), "the listeners hear of every synchronisation: " + seen);
        assertTrue(seen.get(0) == 1 && seen.get(perEpoch - 1) == perEpoch, seen.toString());
    }

    @Test
    void barrierRefusesMoreBlocksThanTheClusterRunsAtOnce() {
        Dataset<Row> df = TestSpark.blobs(100, 3, 2, 2, 22);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DescentClassifier()
                .setLayers(4).setEpochs(1).setNumPartitions(5).setSynchronization("barrier").fit(df));
        assertEquals("synchronization barrier: barrier mode runs every block's task at once: 5 blocks, 2 task slots; "
                + "set numPartitions to at most 2 (and maxBlockMB so that they hold the data), or synchronization to "
                + "jobs", e.getMessage());
    }
}
