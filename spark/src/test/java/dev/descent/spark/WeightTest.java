package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** weightCol: a weighted loss and weighted metrics, as MLlib's classifiers take a weight column. */
class WeightTest {
    static DescentClassifier classifier() {
        return new DescentClassifier().setLayers(8).setOptimizer("adam").setLearningRate(0.01).setBatchSize(40)
                .setEpochs(3).setSeed(4).setNumPartitions(2).setValidationFraction(0.2);
    }

    @Test
    void equalWeightsTrainExactlyWhatNoWeightsTrain() {
        Dataset<Row> df = TestSpark.blobs(300, 4, 3, 2, 50);
        for (String mode : new String[] {"exact", "averaged"}) {
            DescentClassificationModel plain = classifier().setTrainingMode(mode).fit(df);
            DescentClassificationModel weighted = classifier().setTrainingMode(mode).setWeightCol("w")
                    .fit(df.withColumn("w", functions.lit(2.0)));
            assertArrayEquals(Theta.read(plain.model().network()), Theta.read(weighted.model().network()), mode);
            assertArrayEquals(plain.history().losses(), weighted.history().losses(), mode);
        }
        DescentRegressionModel plain = new DescentRegressor().setLayers(4).setEpochs(2).setNumPartitions(2)
                .fit(RegressionTest.assembled(RegressionTest.linear(200, 2, 3)));
        DescentRegressionModel weighted = new DescentRegressor().setLayers(4).setEpochs(2).setNumPartitions(2)
                .setWeightCol("w").fit(RegressionTest.assembled(RegressionTest.linear(200, 2, 3))
                        .withColumn("w", functions.lit(0.5)));
        assertArrayEquals(Theta.read(plain.model().network()), Theta.read(weighted.model().network()));
    }

    @Test
    void aHeavilyWeightedClassIsPredictedMoreOften() {
        // classes 0 and 1 overlap (centres 0 and 0.5 on one feature): weighting class 1 by 20 moves the boundary
        Dataset<Row> df = TestSpark.blobs(600, 1, 2, 2, 51).withColumn("label", functions.col("label"));
        Dataset<Row> weightedDf = df.withColumn("w", functions.when(functions.col("label").equalTo(1.0), 20.0)
                .otherwise(1.0));
        DescentClassifier c = new DescentClassifier().setLayers(4).setOptimizer("adam").setLearningRate(0.05)
                .setBatchSize(32).setEpochs(10).setNumPartitions(2);
        long plainOnes = c.fit(df).transform(df).filter("prediction = 1").count();
        long weightedOnes = c.setWeightCol("w").fit(weightedDf).transform(df).filter("prediction = 1").count();
        assertTrue(weightedOnes > plainOnes + 30, "predicted 1: " + plainOnes + " unweighted, " + weightedOnes
                + " with class 1 weighted 20");
    }

    @Test
    void theLossAndAccuracyOfABlockAreWeighted() {
        // three rows of one feature, a 1 -> 2 linear network with θ chosen by hand
        Storage.Builder b = new Storage.Builder(1, false);
        for (double v : new double[] {1, -1, 2}) {
            b.add(new double[] {v});
        }
        Rows rows = new Rows(b.build(), new int[] {0, 0, 1}, null, new double[] {1, 3, 0.5});
        Recipe recipe = Recipe.forData().withLayers(java.util.List.of()).withDtype(Dtype.FLOAT64);
        Plan plan = new Plan(recipe, 1, 2, 0);
        double[] theta = {1, -1, 0, 0}; // W = (1, -1), b = 0: logits (x, −x)
        Partial p = Evaluations.partition(rows, theta, plan);
        double[] l = new double[3];
        double[][] z = {{1, -1}, {-1, 1}, {2, -2}};
        int[] y = {0, 0, 1};
        for (int r = 0; r < 3; r++) {
            l[r] = new SoftmaxCrossEntropy(Reduction.SUM).forward(Matrix.rowVector(z[r]), new int[] {y[r]});
        }
        assertEquals(1 * l[0] + 3 * l[1] + 0.5 * l[2], p.loss, 1e-12);
        assertEquals(1.0, p.correct, 0.0, "only row 0 is right, of weight 1");
        assertEquals(4.5, p.weight, 0.0);
        assertEquals(3, p.rows);
        assertEquals((1 * l[0] + 3 * l[1] + 0.5 * l[2]) / 4.5, p.evaluation().loss(), 1e-12);
        assertEquals(1.0 / 4.5, p.evaluation().accuracy(), 0.5 / 3, "the weighted share, to the nearest row");
    }

    @Test
    void everyWeightZeroIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier().setWeightCol("w")
                .fit(TestSpark.blobs(50, 3, 3, 2, 4).withColumn("w", functions.lit(0.0))));
        assertEquals("every weight in w is 0: nothing to train on", e.getMessage());
    }
}
