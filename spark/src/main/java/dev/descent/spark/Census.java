package dev.descent.spark;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A first pass over the input before any block is built: every row checked (the same number of
 * features, each finite; a label that is a class index, or a finite target; a finite weight of at
 * least 0), and counted: rows, features, the bytes its blocks will take, and the weights' sum. A
 * problem is reported as the first one found, in words, and the fit stops before it has built
 * anything; the tasks themselves do not fail, so Spark retries nothing.
 *
 * @param rows        every row, training and held-out
 * @param cols        features per row
 * @param bytes       what the rows take in blocks: their features in their compact kinds, a label,
 *                    target and weight each
 * @param weightSum   the weights' sum (the rows, unweighted)
 */
record Census(long rows, int cols, long bytes, double weightSum) implements Serializable {
    /** One input partition's count, or its first problem. */
    record Part(long rows, int cols, long bytes, double weightSum, String problem) implements Serializable {}

    /** Bytes of a row beside its features: label, target and weight. */
    static final int ROW_OVERHEAD = 4 + 8 + 8;

    /**
     * Counts and checks {@code columns} (features vector, label as double, weight as double):
     * {@code classes} classes, or {@link Block#REGRESSION}.
     */
    static Census take(Dataset<Row> columns, int classes, boolean float32) {
        List<Part> parts = columns.javaRDD().mapPartitions(rows -> List.of(part(rows, classes, float32)).iterator())
                .collect();
        long rows = 0, bytes = 0;
        int cols = -1;
        double weights = 0;
        for (Part p : parts) {
            if (p.problem() != null) {
                throw new IllegalArgumentException(p.problem());
            }
            if (p.rows() == 0) {
                continue;
            }
            if (cols >= 0 && p.cols() != cols) {
                throw new IllegalArgumentException("feature vectors of " + cols + " and " + p.cols()
                        + " values in one data set: every row needs the same number of features");
            }
            cols = p.cols();
            rows += p.rows();
            bytes += p.bytes();
            weights += p.weightSum();
        }
        return new Census(rows, Math.max(cols, 0), bytes, weights);
    }

    static Part part(Iterator<Row> rows, int classes, boolean float32) {
        long n = 0, bytes = 0;
        int cols = -1;
        double weights = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            String problem = problem(row, classes, cols);
            if (problem != null) {
                return new Part(n, cols, bytes, weights, problem);
            }
            double[] values = ((Vector) row.getAs(0)).toArray();
            cols = values.length;
            bytes += Records.featureBytes(Records.kindOf(values, float32), cols) + ROW_OVERHEAD;
            weights += row.getDouble(2);
            n++;
        }
        return new Part(n, cols, bytes, weights, null);
    }

    /** What is wrong with this row, in words, or null. */
    static String problem(Row row, int classes, int cols) {
        if (row.isNullAt(0) || row.isNullAt(1)) {
            return "a row with no " + (row.isNullAt(0) ? "features" : "label") + ": every row needs both";
        }
        Vector v = row.getAs(0);
        double label = row.getDouble(1);
        if (cols >= 0 && v.size() != cols) {
            return "feature vectors of " + cols + " and " + v.size() + " values in one data set: every row needs "
                    + "the same number of features";
        }
        if (classes == Block.REGRESSION) {
            if (!Double.isFinite(label)) {
                return "target " + label + ": every target must be a finite number";
            }
        } else if (!(label >= 0 && label < classes && label == Math.rint(label))) {
            return "label " + label + " is not a class index in [0, " + classes + "): labels must be 0, 1, ..., "
                    + "classes - 1 (StringIndexer makes them from names)";
        }
        double[] values = v.toArray();
        for (int j = 0; j < values.length; j++) {
            if (!Double.isFinite(values[j])) {
                return "feature " + j + " of a row with label " + label + " is " + values[j]
                        + ": every feature must be a finite number";
            }
        }
        if (row.isNullAt(2) || !(row.getDouble(2) >= 0) || !Double.isFinite(row.getDouble(2))) {
            return "weight " + (row.isNullAt(2) ? "null" : String.format(Locale.ROOT, "%s", row.get(2)))
                    + " of a row with label " + label + ": every weight must be a finite number of at least 0";
        }
        return null;
    }
}
