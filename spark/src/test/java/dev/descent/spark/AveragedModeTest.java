package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Dataset;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Parameter averaging: on one partition it is the library's trainer; on several it still learns. */
class AveragedModeTest {
    /** θ is averaged as Σ rows·θ / Σ rows: on one partition that is θ up to a rounding per synchronisation. */
    static final double TOLERANCE = 1e-12;

    @Test
    void onePartitionAveragingOncePerEpochIsTheLibrarysTrainer() {
        org.apache.spark.sql.Dataset<Row> df = TestSpark.blobs(200, 4, 3, 1, 5);
        DescentClassifier classifier = new DescentClassifier().setLayers(8).setActivation("relu")
                .setOptimizer("adam").setLearningRate(0.01).setBatchSize(32).setEpochs(3).setSeed(9)
                .setDtype("float64").setTrainingMode("averaged").setNumPartitions(1);
        DescentClassificationModel model = classifier.fit(df);

        // the fit's one block, its rows in the block's order (a hash's, seeded by the fit's seed)
        List<Block> blocks = TestSpark.blocks(df, 3, 1, 9).collect();
        assertEquals(1, blocks.size());
        Rows rows = blocks.get(0).train();
        Matrix x = rows.features().toMatrix();
        int[] labels = rows.labels();
        // The library's run of the recipe the estimator's params describe, on the same rows.
        Recipe recipe = classifier.recipe(Recipe.Task.CLASSIFICATION);
        Dataset data = new Dataset(x, labels, List.of("0", "1", "2"), "blobs");
        Network net = recipe.network(data);
        History history = recipe.trainer(data).fit(net, data);

        double[] spark = Theta.read(model.model().network()), library = Theta.read(net);
        assertTrue(ExactModeTest.maxDifference(spark, library) <= TOLERANCE,
                "θ differs by " + ExactModeTest.maxDifference(spark, library));
        assertArrayEquals(history.losses(), model.history().losses(), TOLERANCE);
    }

    @Test
    void twoPartitionsAveragingEveryFewStepsLearnTheBlobs() {
        org.apache.spark.sql.Dataset<Row> df = TestSpark.blobs(600, 4, 3, 2, 6);
        DescentClassificationModel model = new DescentClassifier().setLayers(16).setOptimizer("momentum")
                .setLearningRate(0.05).setBatchSize(20).setEpochs(5).setTrainingMode("averaged")
                .setAveragingSteps(4).fit(df);
        History h = model.history();
        assertEquals(6, h.rows().size());
        assertTrue(h.last().loss() < h.first().loss() / 2, "loss " + h.first().loss() + " -> " + h.last().loss());
        assertTrue(h.last().accuracy() > 0.9, "accuracy " + h.last().accuracy());
    }
}
