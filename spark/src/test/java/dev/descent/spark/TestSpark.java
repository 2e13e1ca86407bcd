package dev.descent.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
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

    /** The master the tests run on: {@code descent.test.master}, local[2,3] unless set. */
    static String master() {
        return System.getProperty("descent.test.master", "local[2,3]");
    }

    /** Whether the tests run on a local cluster: executors in JVMs of their own. */
    static boolean isCluster() {
        return master().startsWith("local-cluster");
    }

    static synchronized SparkSession session() {
        if (session == null) {
            SparkSession.Builder builder = SparkSession.builder()
                    .master(master())
                    .appName("descent-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1");
            if (isCluster()) {
                // The executors' JVMs get the tests' class path (Spark, the library, these classes); SPARK_HOME
                // (set by the pom) only needs an empty jars/ there, which Spark's launcher looks for.
                builder.config("spark.executor.extraClassPath", System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")))
                        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
                        // a barrier stage waits for a lost executor's successor: look every second, not every 15
                        .config("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s")
                        .config("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "120");
                new java.io.File(System.getenv().getOrDefault("SPARK_HOME", "."), "jars").mkdirs();
            }
            session = builder.getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }

    static JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /**
     * The blocks a fit would train on, {@code count} of them: {@code columns} are a features
     * vector and a label (class indices of {@code classes} classes, or {@link Block#REGRESSION}
     * targets), unweighted, nothing held out, float64.
     */
    static JavaRDD<Block> blocks(Dataset<Row> columns, int classes, int count, long seed) {
        Dataset<Row> c = columns.select(columns.col(columns.columns()[0]), columns.col(columns.columns()[1]).cast("double"),
                functions.lit(1.0));
        Census census = Census.take(c, classes, false);
        return Blocks.build(c, new Block.Spec(census.cols(), classes == Block.REGRESSION, false, 1.0, 0.0, false), count,
                seed, StorageLevel.MEMORY_AND_DISK());
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
