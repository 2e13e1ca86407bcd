package dev.descent.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One real local Spark for all the module's tests (two worker threads, a failed task tried up to
 * three times), and small seeded data sets.
 */
final class TestSpark {
    private static SparkSession session;

    private TestSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,3]")
                    .appName("descent-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /**
     * {@code n} rows of {@code cols} features in {@code classes} Gaussian blobs (class c centred at
     * 2·c on feature c mod cols, spread 1), label a double, in {@code partitions} partitions.
     */
    static Dataset<Row> blobs(int n, int cols, int classes, int partitions, long seed) {
        Random rng = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            double[] x = new double[cols];
            for (int j = 0; j < cols; j++) {
                x[j] = rng.nextGaussian() + (j == c % cols ? 3.0 * c : 0);
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) c));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
        return session().createDataFrame(sc().parallelize(rows, partitions), schema);
    }
}
