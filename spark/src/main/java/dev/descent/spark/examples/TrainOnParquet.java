package dev.descent.spark.examples;

import dev.descent.spark.DescentClassificationModel;
import dev.descent.spark.DescentClassifier;
import java.util.Locale;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains Descent's classifier on a Parquet file of a {@code features} vector and a {@code label}
 * column, and reports its accuracy on a second one: the example at the top of docs/spark.md.
 *
 * <pre>
 * spark-submit --class dev.descent.spark.examples.TrainOnParquet descent-spark.jar TRAIN.parquet TEST.parquet [EPOCHS]
 * </pre>
 */
public final class TrainOnParquet {
    private TrainOnParquet() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: TrainOnParquet TRAIN.parquet TEST.parquet [EPOCHS]");
            System.exit(64);
        }
        SparkSession spark = SparkSession.builder().appName("descent on parquet").getOrCreate();
        Dataset<Row> train = spark.read().parquet(args[0]), test = spark.read().parquet(args[1]);

        DescentClassifier classifier = new DescentClassifier()
                .setLayers(128)                 // hidden widths only: 784 inputs and 10 classes come from the data
                .setTrainingMode("averaged")    // local steps, θ averaged once per epoch
                .setEpochs(args.length > 2 ? Integer.parseInt(args[2]) : 5);
        long start = System.nanoTime();
        DescentClassificationModel model = classifier.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;

        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        System.out.printf(Locale.ROOT, "trained %s in %.1f s: test accuracy %.2f%%%n", model, seconds, 100 * accuracy);
        spark.stop();
    }
}
