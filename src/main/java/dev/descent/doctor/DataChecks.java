package dev.descent.doctor;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.data.RowIndex;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What can be seen in the data before any training: features far from mean 0 and sd 1, constant
 * features, a label column that is not a class (an identifier or a continuous quantity), a feature
 * that is a row id, imbalanced classes (the label and class rules only for classification), and
 * test rows that are also training rows. Cheap (one pass
 * over the data, one over the test set): {@code descent train} prints these too.
 *
 * <p>Each finding comes with its rule's threshold as a constant here; docs/diagnostics.md lists them.
 */
public final class DataChecks {
    /** A feature whose |mean| or sd exceeds this is far from the scale a network's initialisation expects. */
    public static final double SCALE_LIMIT = 5;
    /** A label column with at least this fraction as many classes as rows is an identifier or a quantity. */
    public static final double CLASSES_PER_ROW_LIMIT = 0.5;
    /** Numeric labels with more classes than this and fewer than {@link #ROWS_PER_CLASS_LIMIT} rows each look continuous. */
    public static final int MANY_CLASSES = 20;
    public static final double ROWS_PER_CLASS_LIMIT = 5;
    /** The id and label rules need at least this many rows to mean anything. */
    public static final int MIN_ROWS = 20;
    /** Classes are imbalanced when the largest has at least this many times the samples of the smallest. */
    public static final double IMBALANCE_RATIO = 4;
    /** Leakage is a problem when at least this fraction of the test rows are training rows (a note below). */
    public static final double LEAKAGE_FRACTION = 0.01;

    private DataChecks() {}

    /**
     * @param test  the held-out test set, or null
     * @param names the feature names (from a CSV header), or null for {@code feature 1, 2, ...}
     */
    public static List<Finding> of(Dataset data, Dataset test, List<String> names) {
        List<Finding> findings = new ArrayList<>();
        Columns columns = Columns.of(data);
        scale(columns, names).ifPresent(findings::add);
        constant(columns, names).ifPresent(findings::add);
        if (!data.isRegression()) { // a regression set's targets are numbers, not classes
            labels(data).ifPresent(findings::add);
        }
        idFeature(columns, names, data.size()).ifPresent(findings::add);
        if (!data.isRegression()) {
            imbalance(data).ifPresent(findings::add);
        }
        if (test != null) {
            leakage(data, test).ifPresent(findings::add);
        }
        return findings;
    }

    static String name(List<String> names, int j) {
        return names != null && j < names.size() ? "'" + names.get(j) + "'" : "feature " + (j + 1);
    }

    private static Optional<Finding> scale(Columns c, List<String> names) {
        Integer[] order = new Integer[c.mean.length];
        int far = 0;
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
            far += c.size(j) > SCALE_LIMIT ? 1 : 0;
        }
        if (far == 0) {
            return Optional.empty();
        }
        Arrays.sort(order, (a, b) -> Double.compare(c.size(b), c.size(a)));
        List<String> worst = new ArrayList<>();
        for (int i = 0; i < Math.min(3, far); i++) {
            int j = order[i];
            worst.add(String.format(Locale.ROOT, "%s mean %.4g, sd %.4g", name(names, j), c.mean[j], c.sd[j]));
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(far + " of " + order.length + " features have |mean| or sd above " + fmt(SCALE_LIMIT)
                + "; the largest: " + String.join("; ", worst));
        evidence.add("a network's initialisation assumes inputs near mean 0 and sd 1; larger ones saturate units "
                + "and make a learning rate that suits one feature far too large for another");
        return Optional.of(new Finding(Severity.NOTE, Kind.FEATURE_SCALE,
                "the features are far from mean 0 and sd 1", evidence,
                "standardise them with --standardize (the model keeps the statistics)", List.of("--standardize")));
    }

    private static Optional<Finding> constant(Columns c, List<String> names) {
        List<String> which = new ArrayList<>();
        int count = 0;
        for (int j = 0; j < c.sd.length; j++) {
            if (c.sd[j] == 0) {
                if (count++ < 5) {
                    which.add(name(names, j) + " = " + Doctor.format(c.mean[j]));
                }
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(new Finding(Severity.NOTE, Kind.CONSTANT_FEATURES,
                count + " feature" + (count == 1 ? " is" : "s are") + " constant over the training data",
                List.of(String.join(", ", which) + (count > 5 ? ", ..." : "")
                        + ": a constant input carries nothing about the class"),
                "harmless, but a constant column in a CSV file is often a mistake; drop it from the file if so"));
    }

    private static Optional<Finding> labels(Dataset data) {
        int n = data.size(), k = data.classCount();
        boolean numeric = true, fractional = false;
        for (String name : data.classNames()) {
            try {
                double v = Double.parseDouble(name.trim());
                fractional |= v != Math.rint(v);
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        String why;
        if (n >= MIN_ROWS && k >= CLASSES_PER_ROW_LIMIT * n) {
            why = String.format(Locale.ROOT, "%d classes for %d rows: nearly every row has a label of its own, as an "
                    + "identifier or a measured quantity has", k, n);
        } else if (numeric && fractional && k > MANY_CLASSES) {
            why = k + " classes whose names are numbers with fractions, like " + data.classNames().get(0)
                    + ": a continuous quantity, not a class";
        } else if (numeric && k > MANY_CLASSES && (double) n / k < ROWS_PER_CLASS_LIMIT) {
            why = String.format(Locale.ROOT, "%d numeric classes with %.1f rows each on average: mostly unique "
                    + "values of a quantity, not classes", k, (double) n / k);
        } else {
            return Optional.empty();
        }
        return Optional.of(new Finding(Severity.PROBLEM, Kind.LABEL_NOT_CLASSES,
                "the label column does not look like classes", List.of(why,
                        "a classifier needs several rows of each class to learn it; it can only memorise these"),
                "name the class column with --label COLUMN; a continuous target needs regression, not classification "
                        + "(--task regression)"));
    }

    private static Optional<Finding> idFeature(Columns c, List<String> names, int n) {
        if (n < MIN_ROWS) {
            return Optional.empty();
        }
        for (int j = 0; j < c.increasing.length; j++) {
            if (c.increasing[j]) {
                return Optional.of(new Finding(Severity.PROBLEM, Kind.ID_FEATURE,
                        name(names, j) + " looks like a row id, not a feature",
                        List.of(String.format(Locale.ROOT, "its values rise strictly from row to row (%s to %s over "
                                + "%d rows), as a row number or id does", Doctor.format(c.first[j]),
                                Doctor.format(c.last[j]), n), "a row's position says nothing about its class; a network "
                                + "can only memorise it, and it will not hold for new rows"),
                        "remove the column " + name(names, j) + " from the data file"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Finding> imbalance(Dataset data) {
        ClassBalance b = ClassBalance.of(data);
        if (b.ratio() < IMBALANCE_RATIO) {
            return Optional.empty();
        }
        List<String> names = data.classNames();
        int maj = b.majority(), min = b.minority();
        return Optional.of(new Finding(Severity.NOTE, Kind.CLASS_IMBALANCE,
                String.format(Locale.ROOT, "the classes are imbalanced: '%s' has %d samples, '%s' %d", names.get(maj),
                        b.counts()[maj], names.get(min), b.counts()[min]),
                List.of(String.format(Locale.ROOT, "always predicting '%s' is right %.1f%% of the time: the baseline "
                        + "any accuracy must beat", names.get(maj), 100 * b.baseline())),
                "judge the run by each class's recall, not by accuracy alone"));
    }

    private static Optional<Finding> leakage(Dataset train, Dataset test) {
        RowIndex index = RowIndex.of(train.features());
        int[] found = {0};
        int[] firstTest = {-1}, firstTrain = {-1};
        Batches.inOrder(test.features(), 1000, (from, x) -> {
            for (int r = 0; r < x.rows(); r++) {
                int t = index.find(x, r);
                if (t >= 0) {
                    found[0]++;
                    if (firstTest[0] < 0) {
                        firstTest[0] = from + r;
                        firstTrain[0] = t;
                    }
                }
            }
        });
        if (found[0] == 0) {
            return Optional.empty();
        }
        double fraction = (double) found[0] / test.size();
        Severity s = fraction >= LEAKAGE_FRACTION ? Severity.PROBLEM : Severity.NOTE;
        return Optional.of(new Finding(s, Kind.TEST_LEAKAGE,
                String.format(Locale.ROOT, "%d of the %d test rows (%.1f%%) are also training rows", found[0],
                        test.size(), 100 * fraction),
                List.of(String.format(Locale.ROOT, "the first: test row %d is training row %d", firstTest[0] + 1,
                        firstTrain[0] + 1), "the test accuracy measures memory on those rows, not generalisation"),
                "remove the training rows from the test file (or split the data before writing the files)"));
    }

    static String fmt(double v) {
        return Doctor.format(v);
    }

    /** Per column: mean, sd, whether it rises strictly from row to row, first and last value. */
    private record Columns(double[] mean, double[] sd, boolean[] increasing, double[] first, double[] last) {
        double size(int j) {
            return Math.max(Math.abs(mean[j]), sd[j]);
        }

        /**
         * One pass over the rows, a block at a time. Each column's sums are of deviations from its
         * first value (a shift that keeps the sum of squares from cancelling when the values are
         * large and their spread small), so that the inner loop is a straight run of adds and
         * multiplies over the row: mean = x₀ + Σd / n, variance = Σd² / n − (Σd / n)². A constant
         * column has every d = 0, so its sd is exactly 0.
         */
        static Columns of(Dataset data) {
            int k = data.featureCount();
            double[] sum = new double[k], squares = new double[k], first = new double[k], last = new double[k];
            boolean[] increasing = new boolean[k];
            Arrays.fill(increasing, true);
            Batches.inOrder(data.features(), 1000, (from, x) -> {
                double[] a = x.data();
                int r0 = 0;
                if (from == 0) {
                    System.arraycopy(a, 0, first, 0, k);
                    System.arraycopy(a, 0, last, 0, k);
                    r0 = 1;
                }
                for (int r = r0; r < x.rows(); r++) {
                    int off = r * k;
                    for (int j = 0; j < k; j++) {
                        double v = a[off + j], d = v - first[j];
                        sum[j] += d;
                        squares[j] += d * d;
                        increasing[j] &= v > last[j];
                        last[j] = v;
                    }
                }
            });
            int n = data.size();
            double[] mean = new double[k], sd = new double[k];
            for (int j = 0; j < k; j++) {
                double m = n > 0 ? sum[j] / n : 0;
                mean[j] = first[j] + m;
                sd[j] = n > 0 ? Math.sqrt(Math.max(0, squares[j] / n - m * m)) : 0;
                increasing[j] &= n >= 2;
            }
            return new Columns(mean, sd, increasing, first, last);
        }
    }
}
