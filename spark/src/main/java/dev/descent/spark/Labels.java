package dev.descent.spark;

import dev.descent.loss.ClassWeights;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The classes of a label column: the names {@code StringIndexer} wrote into its metadata, or,
 * for plain numbers, "0", "1", ... up to the largest label (found in one pass).
 */
record Labels(List<String> names) {
    static Labels of(Dataset<?> dataset, String column) {
        Attribute attribute = Attribute.fromStructField(dataset.schema().apply(column));
        if (attribute instanceof NominalAttribute nominal && nominal.values().isDefined()) {
            return new Labels(List.of(nominal.values().get()));
        }
        int classes;
        if (attribute instanceof NominalAttribute nominal && nominal.numValues().isDefined()) {
            classes = (Integer) nominal.numValues().get();
        } else {
            Row max = dataset.agg(functions.max(functions.col(column).cast("double"))).head();
            if (max.isNullAt(0)) {
                throw new IllegalArgumentException("the label column " + column + " has no values");
            }
            double largest = max.getDouble(0);
            if (!(largest >= 0 && largest < 1_000_000 && largest == Math.rint(largest))) {
                throw new IllegalArgumentException("the largest label in " + column + " is " + largest
                        + ": labels must be class indices 0, 1, ... (StringIndexer makes them from names)");
            }
            classes = (int) largest + 1;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < Math.max(2, classes); c++) {
            names.add(Integer.toString(c));
        }
        return new Labels(names);
    }

    /**
     * The class weights {@code spec} gives (the classifier's classWeight), resolved against the
     * rows of {@code dataset}: for balanced, its labels counted in one Spark job.
     *
     * @throws IllegalArgumentException in one line, starting with classWeight
     */
    static ClassWeights weights(String spec, Dataset<?> dataset, String column, List<String> names) {
        try {
            ClassWeights w = ClassWeights.parse(spec);
            if (w.none()) {
                return w;
            }
            long[] counts = new long[names.size()];
            if (w.rule().equals("balanced")) {
                for (Row r : dataset.groupBy(functions.col(column).cast("double")).count().collectAsList()) {
                    if (!r.isNullAt(0) && r.getDouble(0) >= 0 && r.getDouble(0) < counts.length) {
                        counts[(int) r.getDouble(0)] += r.getLong(1);
                    }
                }
            }
            return w.resolveCounts(names, counts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("classWeight: " + e.getMessage(), e);
        }
    }
}
