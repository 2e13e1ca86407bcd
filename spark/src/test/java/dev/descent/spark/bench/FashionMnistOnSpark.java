package dev.descent.spark.bench;

import dev.descent.data.Dataset;
import dev.descent.data.IdxDataset;
import dev.descent.fused.FusedBackprop;
import dev.descent.init.Initializer;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.optim.Optimizers;
import dev.descent.spark.DescentClassifier;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import dev.descent.train.Evaluation;
import dev.descent.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Fashion-MNIST as a DataFrame in local[2]: Descent's estimator (exact and averaged) against
 * MLlib's MultilayerPerceptronClassifier (sigmoid, L-BFGS and GD, several iteration counts), and
 * against the library in one process on the same recipe. Test accuracy and fit time, one table.
 * Run by spark/bench/fmnist-spark.sh; results in docs/spark.md.
 */
public final class FashionMnistOnSpark {
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    record Result(String what, double accuracy, double seconds) {}

    public static void main(String[] args) throws Exception {
        int exactEpochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Dataset train = IdxDataset.training(DATA), test = IdxDataset.test(DATA);
        List<Result> results = new ArrayList<>();
        results.add(library(train, test));

        SparkSession spark = SparkSession.builder().master("local[2]").appName("fmnist-spark")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        org.apache.spark.sql.Dataset<Row> trainDf = frame(spark, train).cache(), testDf = frame(spark, test).cache();
        System.err.printf("DataFrames: %d and %d rows in %d partitions%n", trainDf.count(), testDf.count(),
                trainDf.rdd().getNumPartitions());
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");

        DescentClassifier recipe = new DescentClassifier().setLayers(128).setActivation("relu").setInit("he")
                .setOptimizer("sgd").setLearningRate(0.1).setBatchSize(128).setEpochs(10).setSeed(1);
        results.add(fit("Descent averaged, once per epoch", () -> recipe.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("averaged").setAveragingSteps(0), trainDf, testDf, accuracy));
        results.add(fit("Descent averaged, every 32 steps", () -> recipe.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("averaged").setAveragingSteps(32), trainDf, testDf, accuracy));
        results.add(fit("Descent exact, " + exactEpochs + " epochs", () -> recipe.copy(new org.apache.spark.ml.param.ParamMap())
                .setTrainingMode("exact").setEpochs(exactEpochs), trainDf, testDf, accuracy));
        for (int iterations : new int[] {10, 50, 200}) {
            results.add(fit("MLlib MLP sigmoid, l-bfgs, " + iterations + " iterations", () -> mllib("l-bfgs", iterations),
                    trainDf, testDf, accuracy));
        }
        for (int iterations : new int[] {10, 100}) {
            results.add(fit("MLlib MLP sigmoid, gd (step 0.03), " + iterations + " iterations",
                    () -> mllib("gd", iterations), trainDf, testDf, accuracy));
        }
        spark.stop();

        System.out.println("| trainer (784-128-10) | test accuracy | fit time |");
        System.out.println("|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %.2f%% | %.1f s |%n", r.what, 100 * r.accuracy, r.seconds);
        }
    }

    private static MultilayerPerceptronClassifier mllib(String solver, int iterations) {
        return new MultilayerPerceptronClassifier().setLayers(new int[] {784, 128, 10}).setSolver(solver)
                .setMaxIter(iterations).setTol(0).setSeed(1).setBlockSize(128);
    }

    private static Result fit(String what, Supplier<? extends org.apache.spark.ml.Estimator<?>> estimator,
                              org.apache.spark.sql.Dataset<Row> train, org.apache.spark.sql.Dataset<Row> test,
                              MulticlassClassificationEvaluator accuracy) {
        long start = System.nanoTime();
        Model<?> model = (Model<?>) estimator.get().fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double a = accuracy.evaluate(model.transform(test));
        System.err.printf(Locale.ROOT, "%s: %.2f%% in %.1f s%n", what, 100 * a, seconds);
        return new Result(what, a, seconds);
    }

    /** The library alone, one process, the same recipe: ./descent train's fmnist-mlp. */
    private static Result library(Dataset train, Dataset test) {
        Network net = new Architecture(784, List.of(128), "relu", 10).build();
        Initializer.HE.initialize(net, 1);
        long start = System.nanoTime();
        new Trainer(new FusedBackprop(Dtype.FLOAT64), new SoftmaxCrossEntropy(Reduction.MEAN),
                Optimizers.create("sgd", 0.1), 10).batchSize(128).shuffleSeed(1).fit(net, train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double a = Evaluation.of(net, new SoftmaxCrossEntropy(Reduction.MEAN), test).accuracy();
        System.err.printf(Locale.ROOT, "library: %.2f%% in %.1f s%n", 100 * a, seconds);
        return new Result("Descent library, one process (no Spark)", a, seconds);
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data) {
        Matrix x = data.featureMatrix();
        List<Row> rows = new ArrayList<>(data.size());
        for (int r = 0; r < data.size(); r++) {
            rows.add(RowFactory.create(Vectors.dense(x.row(r)), (double) data.labels()[r]));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), schema);
    }
}
