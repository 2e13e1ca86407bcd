package dev.descent.spark;

import dev.descent.data.Features;
import dev.descent.tensor.Matrix;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * One partition's rows as the library keeps a data set: features row-major in one array, read
 * through {@link Features}, and class labels; cached on the executor that holds the partition,
 * so no {@code Row} or {@code Vector} object outlives the first pass.
 *
 * @param partition the Spark partition the rows came from
 * @param x         features (rows, cols), row-major
 * @param labels    class index of each row; for regression, the row's index 0, 1, ... into
 *                  {@code targets}, as the library's regression losses take it
 * @param targets   regression: each row's target; null for a classifier
 * @param validation the same partition's held-out rows, never trained on (rows 0 when none)
 */
record Block(int partition, int cols, double[] x, int[] labels, double[] targets, Held validation)
        implements Serializable {
    /** {@code classes} of a regression: the label column holds real targets, not class indices. */
    static final int REGRESSION = 0;

    /** A partition's held-out rows, labelled as the training rows are. */
    record Held(double[] x, int[] labels, double[] targets) implements Serializable {}

    int rows() {
        return labels.length;
    }

    /** The training rows as the library's features (the array itself, not a copy). */
    Features features() {
        return Features.of(new Matrix(rows(), cols, x));
    }

    Features validationFeatures() {
        return Features.of(new Matrix(validation.labels.length, cols, validation.x));
    }

    /**
     * Every partition of (features, label as double) rows read into one block, held out from,
     * and cached deserialised in memory: each step reads its rows straight from the arrays.
     * {@code classes} {@link #REGRESSION} reads the labels as real-valued targets.
     */
    static JavaRDD<Block> cache(Dataset<Row> columns, int classes,
                                                          double validationFraction, long seed) {
        return columns.javaRDD()
                .mapPartitionsWithIndex((p, rows) -> List.of(read(p, rows, classes, validationFraction, seed))
                        .iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
    }

    /**
     * Reads a partition's rows of (features vector, label) into a block, checking every label is
     * an integer class in [0, classes) (for {@link #REGRESSION}, a finite number), and holds a
     * seeded fraction of them out for validation.
     */
    static Block read(int partition, Iterator<Row> rows, int classes, double validationFraction, long seed) {
        boolean regression = classes == REGRESSION;
        double[] x = new double[0], targets = new double[0];
        int n = 0, cols = -1;
        while (rows.hasNext()) {
            Row row = rows.next();
            Vector v = row.getAs(0);
            double label = row.getDouble(1);
            if (cols < 0) {
                cols = v.size();
            } else if (v.size() != cols) {
                throw new IllegalArgumentException("feature vectors of " + cols + " and " + v.size()
                        + " values in one data set: every row needs the same number of features");
            }
            if (regression) {
                if (!Double.isFinite(label)) {
                    throw new IllegalArgumentException("target " + label + ": every target must be a finite number");
                }
            } else if (!(label >= 0 && label < classes && label == Math.rint(label))) {
                throw new IllegalArgumentException("label " + label + " is not a class index in [0, " + classes
                        + "): labels must be 0, 1, ..., classes - 1 (StringIndexer makes them from names)");
            }
            if (n == targets.length) {
                targets = Arrays.copyOf(targets, Math.max(16, 2 * n));
                x = Arrays.copyOf(x, targets.length * cols);
            }
            double[] values = v.toArray();
            for (int j = 0; j < cols; j++) {
                if (!Double.isFinite(values[j])) {
                    throw new IllegalArgumentException("feature " + j + " of a row with label " + label + " is "
                            + values[j] + ": every feature must be a finite number");
                }
            }
            System.arraycopy(values, 0, x, n * cols, cols);
            targets[n++] = label;
        }
        cols = Math.max(cols, 0);
        return split(partition, cols, Arrays.copyOf(x, n * cols), Arrays.copyOf(targets, n), regression,
                validationFraction, seed);
    }

    /**
     * Holds out round(n · fraction) rows of this partition, chosen by a generator seeded from seed
     * and partition. {@code values} are the labels as read: class indices, or regression targets.
     */
    private static Block split(int partition, int cols, double[] x, double[] values, boolean regression,
                               double fraction, long seed) {
        int n = values.length, held = (int) Math.round(n * fraction);
        int[] train, valid;
        if (held == 0) {
            train = identity(n);
            valid = new int[0];
        } else {
            int[] order = dev.descent.data.Dataset.shuffled(n, new Random(Seeds.validation(seed, partition)));
            train = Arrays.copyOfRange(order, held, n);
            valid = Arrays.copyOfRange(order, 0, held);
            Arrays.sort(train);
            Arrays.sort(valid);
        }
        // with nothing held out, the arrays as read are the training rows: no copy
        double[] trainX = held == 0 ? x : rowsOf(x, cols, train);
        double[] trainValues = held == 0 ? values : valuesOf(values, train), validValues = valuesOf(values, valid);
        if (regression) {
            return new Block(partition, cols, trainX, identity(train.length), trainValues,
                    new Held(rowsOf(x, cols, valid), identity(valid.length), validValues));
        }
        return new Block(partition, cols, trainX, classesOf(trainValues), null,
                new Held(rowsOf(x, cols, valid), classesOf(validValues), null));
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static double[] valuesOf(double[] values, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }

    private static int[] classesOf(double[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    private static double[] rowsOf(double[] x, int cols, int[] rows) {
        double[] out = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * cols, out, i * cols, cols);
        }
        return out;
    }
}
