package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimator in a Pipeline of Spark's own stages: fit, transform, save, load, transform again. */
class PipelineTest {
    /** Flowers by name, three numeric columns of very different scales: what a Pipeline starts from. */
    static Dataset<Row> flowers(int n, long seed) {
        Random rng = new Random(seed);
        String[] species = {"setosa", "versicolor", "virginica"};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            rows.add(RowFactory.create(100.0 * c + 10 * rng.nextGaussian(), 5 + rng.nextGaussian(),
                    0.01 * rng.nextGaussian() + 0.02 * c, species[c]));
        }
        StructType schema = new StructType().add("petal", DataTypes.DoubleType).add("sepal", DataTypes.DoubleType)
                .add("stem", DataTypes.DoubleType).add("species", DataTypes.StringType);
        return TestSpark.session().createDataFrame(TestSpark.sc().parallelize(rows, 2), schema);
    }

    static Pipeline pipeline() {
        return new Pipeline().setStages(new PipelineStage[] {
            new StringIndexer().setInputCol("species").setOutputCol("label").setStringOrderType("alphabetAsc"),
            new VectorAssembler().setInputCols(new String[] {"petal", "sepal", "stem"}).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
            new DescentClassifier().setLayers(16).setOptimizer("adam").setLearningRate(0.01).setBatchSize(16)
                    .setEpochs(10).setTrainingMode("averaged").setAveragingSteps(2)});
    }

    @Test
    void fitTransformSaveLoadTransform(@TempDir Path dir) throws Exception {
        Dataset<Row> train = flowers(300, 1), test = flowers(90, 2);
        PipelineModel fitted = pipeline().fit(train);
        Dataset<Row> predicted = fitted.transform(test);
        assertTrue(List.of(predicted.columns()).containsAll(List.of("rawPrediction", "probability", "prediction")));
        long right = predicted.filter("prediction = label").count();
        assertTrue(right >= 80, right + " of 90 test flowers right");

        DescentClassificationModel model = (DescentClassificationModel) fitted.stages()[3];
        assertEquals(List.of("setosa", "versicolor", "virginica"), model.classNames());
        Vector p = predicted.select("probability").head().getAs(0);
        assertEquals(1.0, p.toArray()[0] + p.toArray()[1] + p.toArray()[2], 1e-12);

        String saved = dir.resolve("pipeline").toString();
        fitted.write().save(saved);
        assertTrue(Files.exists(dir.resolve("pipeline/stages/3_" + model.uid() + "/descent-model.json")));
        Dataset<Row> again = PipelineModel.load(saved).transform(test);
        assertArrayEquals(column(predicted, "prediction"), column(again, "prediction"));
        assertArrayEquals(probabilities(predicted), probabilities(again)); // the JSON keeps every double exactly
    }

    @Test
    void anUnfittedPipelineKeepsTheEstimatorsParams(@TempDir Path dir) throws Exception {
        String saved = dir.resolve("unfitted").toString();
        pipeline().write().save(saved);
        DescentClassifier loaded = (DescentClassifier) Pipeline.load(saved).getStages()[3];
        assertArrayEquals(new int[] {16}, loaded.getLayers());
        assertEquals("adam", loaded.getOptimizer());
        assertEquals("averaged", loaded.getTrainingMode());
        assertEquals(2, loaded.getAveragingSteps());
        assertEquals(0.01, loaded.getLearningRate());
    }

    private static double[] column(Dataset<Row> df, String name) {
        return df.select(name).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }

    private static double[] probabilities(Dataset<Row> df) {
        return df.select("probability").collectAsList().stream()
                .flatMapToDouble(r -> java.util.Arrays.stream(((Vector) r.get(0)).toArray())).toArray();
    }
}
