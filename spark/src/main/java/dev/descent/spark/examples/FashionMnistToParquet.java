package dev.descent.spark.examples;

import dev.descent.data.Dataset;
import dev.descent.data.IdxDataset;
import dev.descent.tensor.Matrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes Fashion-MNIST's IDX files as two Parquet files, {@code train.parquet} and
 * {@code test.parquet}: a {@code features} vector of 784 pixels scaled to [0, 1] and a
 * {@code label} 0 to 9, as a Spark ML pipeline reads them. With a third argument n, the training
 * set is written n times over (a larger file for the memory benchmark of docs/spark.md).
 *
 * <pre>
 * spark-submit --class dev.descent.spark.examples.FashionMnistToParquet descent-spark.jar IDX_DIR OUT_DIR [COPIES]
 * </pre>
 */
public final class FashionMnistToParquet {
    private FashionMnistToParquet() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: FashionMnistToParquet IDX_DIR OUT_DIR [COPIES]   (IDX_DIR: Debian's "
                    + "dataset-fashion-mnist puts it in /usr/share/datasets/fashion-mnist)");
            System.exit(64);
        }
        Path idx = Path.of(args[0]);
        String out = args[1];
        int copies = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        SparkSession spark = SparkSession.builder().appName("fashion-mnist to parquet").getOrCreate();
        write(spark, IdxDataset.training(idx), copies, out + "/train.parquet");
        write(spark, IdxDataset.test(idx), 1, out + "/test.parquet");
        System.out.println("wrote " + out + "/train.parquet and " + out + "/test.parquet");
        spark.stop();
    }

    /** The rows of {@code data}, {@code copies} times, as Parquet in files of at most 60,000 rows each. */
    static void write(SparkSession spark, Dataset data, int copies, String path) {
        Matrix x = data.featureMatrix();
        List<Row> rows = new ArrayList<>(data.size());
        for (int r = 0; r < data.size(); r++) {
            rows.add(RowFactory.create(Vectors.dense(x.row(r)), (double) data.labels()[r]));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
        org.apache.spark.sql.Dataset<Row> once = spark.read().parquet(path); // its files listed now: the first copy
        for (int c = 1; c < copies; c++) {
            once.write().mode(SaveMode.Append).parquet(path);
        }
    }
}
