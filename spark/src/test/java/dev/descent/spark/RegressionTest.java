package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Standardization;
import dev.descent.gradient.Backpropagation;
import dev.descent.init.Initializer;
import dev.descent.loss.Huber;
import dev.descent.loss.MeanSquaredError;
import dev.descent.loss.Reduction;
import dev.descent.loss.RegressionLoss;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.network.Network;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.TrainingStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DescentRegressor}: exact mode's steps against the library's single-process step with its
 * regression losses, a Pipeline round trip, and a model trained on Spark read by the library.
 */
class RegressionTest {
    /** y = 2a − b + 0.5c + 0.1·noise, a, b, c standard normal, in {@code partitions} partitions. */
    static Dataset<Row> linear(int n, int partitions, long seed) {
        Random rng = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian(), c = rng.nextGaussian();
            rows.add(RowFactory.create(a, b, c, 2 * a - b + 0.5 * c + 0.1 * rng.nextGaussian()));
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("c", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
        return TestSpark.session().createDataFrame(TestSpark.sc().parallelize(rows, partitions), schema);
    }

    static Dataset<Row> assembled(Dataset<Row> df) {
        return new VectorAssembler().setInputCols(new String[] {"a", "b", "c"}).setOutputCol("features")
                .transform(df).withColumnRenamed("y", "label");
    }

    @Test
    void everyExactStepEqualsTheLibrarysStepWithItsRegressionLoss() {
        for (String loss : List.of("mse", "huber")) {
            for (String optimizer : List.of("sgd", "momentum", "adam")) {
                // 3 blocks of about 100 rows, as a hash falls: shares of a batch are uneven
                double worst = stepBoth(loss, optimizer, 64, 5);
                assertTrue(worst <= ExactModeTest.TOLERANCE, loss + ", " + optimizer + ": θ differs by " + worst);
            }
        }
    }

    /** Exact distributed steps and the reference's (Backpropagation, the optimizer) from the same θ: the worst |Δθ|. */
    private static double stepBoth(String lossName, String optimizerName, int batch, int steps) {
        long seed = 7;
        Recipe recipe = Recipe.forData().withTask(Recipe.Task.REGRESSION).withRegressionLoss(lossName)
                .withHuberDelta(0.5).withLayers(8, 6).withActivation("tanh").withDtype(Dtype.FLOAT64)
                .withOptimizer(optimizerName).withLearningRate(optimizerName.equals("adam") ? 0.01 : 0.05)
                .withBatch(batch).withSeed(seed);
        Plan plan = new Plan(recipe, 3, 1, 0);
        JavaRDD<Block> blocks = TestSpark.blocks(assembled(linear(301, 3, 11)).select("features", "label"),
                Block.REGRESSION, 3, seed);
        try {
            Summary summary = Summary.of(blocks.map(Summary.Part::of).collect());
            List<Block> local = blocks.collect();
            assertEquals(3, local.size());
            Network distributed = recipe.build(3, 1), reference = recipe.build(3, 1);
            Initializer.XAVIER.initialize(distributed, seed);
            Initializer.XAVIER.initialize(reference, seed);
            Optimizer distributedOpt = recipe.newOptimizer();
            Optimizer referenceOpt = Optimizers.create(optimizerName, recipe.learningRate());
            ExactMode mode = new ExactMode(TestSpark.sc(), blocks, plan, 2);
            int perEpoch = mode.syncsPerEpoch(summary);
            TrainingStep librarys = TrainingStep.of(new Backpropagation());
            double worst = 0;
            for (int s = 0; s < steps; s++) {
                int epoch = 1 + s / perEpoch, step = s % perEpoch;
                Partial p = mode.sync(epoch, step, summary, distributed, distributedOpt);
                ExactModeTest.Batch b = ExactModeTest.batch(local, recipe.shuffleSeed(), epoch, step, batch);
                // the batch's targets, in its rows' order; its labels index them as a data set's do
                Matrix y = new Matrix(b.labels().length, 1, targets(local, recipe.shuffleSeed(), epoch, step, batch));
                int[] rows = new int[b.labels().length];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = i;
                }
                RegressionLoss loss = lossName.equals("mse") ? new MeanSquaredError(Reduction.MEAN, y)
                        : new Huber(Reduction.MEAN, y, 0.5);
                assertEquals(rows.length, p.rows);
                assertEquals(0, p.correct);
                double before = librarys.step(reference, loss, b.x(), rows, referenceOpt).loss();
                assertEquals(before, p.loss / p.rows, 1e-12, "the batch's loss before the step");
                worst = Math.max(worst, ExactModeTest.maxDifference(Theta.read(distributed), Theta.read(reference)));
            }
            return worst;
        } finally {
            blocks.unpersist(false);
        }
    }

    /** The targets of step s's global batch, in {@link ExactModeTest#batch}'s order. */
    private static double[] targets(List<Block> blocks, long shuffleSeed, int epoch, int step, int batch) {
        long all = blocks.stream().mapToLong(b -> b.train().count()).sum();
        List<Double> out = new ArrayList<>();
        for (Block b : blocks) {
            Rows rows = b.train();
            int n = rows.count();
            int[] order = LocalOrders.of(shuffleSeed, epoch, b.index(), n);
            for (int i = LocalOrders.sliceStart(n, all, batch, step); i < LocalOrders.sliceStart(n, all, batch, step + 1);
                    i++) {
                out.add(rows.targets()[rows.labels()[order[i]]]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void fitTransformSaveLoadTransformInAPipeline(@TempDir Path dir) throws Exception {
        Dataset<Row> train = linear(400, 2, 1), test = linear(100, 2, 2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"a", "b", "c"}).setOutputCol("features"),
            new DescentRegressor().setLabelCol("y").setLayers(16).setOptimizer("adam").setLearningRate(0.01)
                    .setBatchSize(16).setEpochs(30).setTrainingMode("averaged").setAveragingSteps(4)});
        PipelineModel fitted = pipeline.fit(train);
        Dataset<Row> predicted = fitted.transform(test);
        double[] truth = column(predicted, "y"), values = column(predicted, "prediction");
        double mse = 0, variance = 0, mean = java.util.Arrays.stream(truth).average().orElseThrow();
        for (int i = 0; i < truth.length; i++) {
            mse += (values[i] - truth[i]) * (values[i] - truth[i]) / truth.length;
            variance += (truth[i] - mean) * (truth[i] - mean) / truth.length;
        }
        assertTrue(mse < 0.05 * variance, "test MSE " + mse + " against a variance of " + variance);

        DescentRegressionModel model = (DescentRegressionModel) fitted.stages()[1];
        assertEquals(List.of("y"), model.model().classNames());
        assertTrue(model.model().isRegression());
        String saved = dir.resolve("pipeline").toString();
        fitted.write().save(saved);
        assertTrue(Files.exists(dir.resolve("pipeline/stages/1_" + model.uid() + "/descent-model.json")));
        PipelineModel loaded = PipelineModel.load(saved);
        assertEquals("y", ((DescentRegressionModel) loaded.stages()[1]).getLabelCol());
        assertArrayEquals(values, column(loaded.transform(test), "prediction")); // the JSON keeps every double exactly
    }

    @Test
    void theLibraryReadsASparkTrainedModelAndPredictsTheSame(@TempDir Path dir) throws Exception {
        Dataset<Row> train = assembled(linear(300, 3, 3)), test = assembled(linear(50, 2, 4));
        DescentRegressor regressor = new DescentRegressor().setLayers(8).setActivation("tanh").setLoss("huber")
                .setHuberDelta(0.5).setOptimizer("momentum").setLearningRate(0.05).setBatchSize(32).setEpochs(8)
                .setValidationFraction(0.2).setPatience(3);
        DescentRegressionModel model = regressor.fit(train);
        History history = model.history();
        assertTrue(history.last().hasValidation());
        assertTrue(history.rows().get(history.rows().size() - 1).loss() < history.rows().get(0).loss(),
                "the loss falls: " + history.rows());
        String saved = dir.resolve("model").toString();
        model.write().save(saved);

        Model read = ModelFile.read(dir.resolve("model/" + DescentRegressionModel.MODEL_FILE));
        assertTrue(read.isRegression());
        assertEquals(List.of("label"), read.classNames());
        assertTrue(String.valueOf(read.training().get("loss")).startsWith("huber"), read.training().toString());
        List<Row> rows = model.transform(test).select("features", "prediction").collectAsList();
        Matrix x = new Matrix(rows.size(), 3);
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(((Vector) rows.get(i).get(0)).toArray(), 0, x.data(), 3 * i, 3);
        }
        Matrix library = read.predictValues(x);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(library.data()[i], rows.get(i).getDouble(1), 1e-12, "row " + i);
        }
        assertArrayEquals(column(model.transform(test), "prediction"),
                column(DescentRegressionModel.load(saved).transform(test), "prediction"));
        assertThrows(IllegalArgumentException.class, () -> DescentClassificationModel.load(saved));
    }

    @Test
    void aLibraryModelWithStandardisationsPredictsInTheTargetsUnits() {
        Network network = Network.builder(3).dense(4).activation("tanh").dense(1).build();
        Initializer.XAVIER.initialize(network, 5);
        Model library = new Model(network, List.of("y"), new Standardization(new double[] {1, 2, 3},
                new double[] {2, 3, 4}), Map.of(), Model.LINEAR, new Standardization(new double[] {10},
                new double[] {5}));
        DescentRegressionModel model = DescentRegressionModel.of(library);
        Dataset<Row> test = assembled(linear(20, 2, 6));
        List<Row> rows = model.transform(test).select("features", "prediction").collectAsList();
        for (Row row : rows) {
            Matrix x = new Matrix(1, 3, ((Vector) row.get(0)).toArray().clone());
            assertEquals(library.predictValues(x).data()[0], row.getDouble(1), 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> DescentClassificationModel.of(library));
    }

    @Test
    void anUnfittedRegressorSavesAndLoadsItsParams(@TempDir Path dir) throws Exception {
        String saved = dir.resolve("regressor").toString();
        new DescentRegressor().setLabelCol("y").setLoss("huber").setHuberDelta(0.25).setLayers(32, 16)
                .setTrainingMode("averaged").write().save(saved);
        DescentRegressor loaded = DescentRegressor.load(saved);
        assertEquals("y", loaded.getLabelCol());
        assertEquals("huber", loaded.getLoss());
        assertEquals(0.25, loaded.getHuberDelta());
        assertArrayEquals(new int[] {32, 16}, loaded.getLayers());
        assertEquals("averaged", loaded.getTrainingMode());
        assertThrows(IllegalArgumentException.class, () -> new DescentRegressor().setLoss("cross-entropy"));
    }

    @Test
    void patienceNeedsHeldOutRowsAndTargetsMustBeFinite() {
        Dataset<Row> train = assembled(linear(40, 2, 7));
        assertThrows(IllegalArgumentException.class, () -> new DescentRegressor().setPatience(2).fit(train));
        Dataset<Row> bad = train.withColumn("label", org.apache.spark.sql.functions.lit(Double.NaN));
        Exception e = assertThrows(Exception.class, () -> new DescentRegressor().setEpochs(1).fit(bad));
        assertTrue(String.valueOf(rootCause(e).getMessage()).contains("finite"), rootCause(e).toString());
    }

    private static Throwable rootCause(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    private static double[] column(Dataset<Row> df, String name) {
        return df.select(name).collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
    }
}
