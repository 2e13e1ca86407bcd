package dev.descent.metrics;

import dev.descent.io.Terminal;
import java.util.List;
import java.util.Locale;

/**
 * Counts of true class against predicted class, and what follows from them: accuracy, per-class
 * precision, recall, F1 and support, and their macro (unweighted) and weighted (by support)
 * averages, as scikit-learn's {@code classification_report} gives them; printed as a table. The
 * heat map is a picture, {@code report.ConfusionMatrixPlot}'s: nothing here draws.
 *
 * <pre>
 *   precision_c = n(true c, predicted c) / n(predicted c)      recall_c = n(true c, predicted c) / n(true c)
 *   F1_c = 2·precision_c·recall_c / (precision_c + recall_c)
 *   macro m = (1/k) Σ_c m_c            weighted m = Σ_c support_c·m_c / Σ_c support_c
 * </pre>
 * A class never predicted has no precision (NaN, printed as -), and one with no sample no recall;
 * the averages count those as 0, as scikit-learn does ({@code zero_division} 0).
 */
public final class ConfusionMatrix {
    private final List<String> classes;
    private final long[][] counts; // [true][predicted]

    public ConfusionMatrix(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
    }

    public void add(int trueClass, int predicted) {
        counts[trueClass][predicted]++;
    }

    public long count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    /** Precision of class c, or NaN when nothing was predicted as c. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) counts[c][c] / predicted;
    }

    /** Recall of class c, or NaN when no sample is of class c. */
    public double recall(int c) {
        long actual = 0;
        for (long v : counts[c]) {
            actual += v;
        }
        return actual == 0 ? Double.NaN : (double) counts[c][c] / actual;
    }

    /** F1 of class c, the harmonic mean of its precision and recall, or NaN when either is NaN or both are 0. */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r > 0 ? 2 * p * r / (p + r) : Double.NaN;
    }

    /** How many samples are of class c. */
    public long support(int c) {
        long actual = 0;
        for (long v : counts[c]) {
            actual += v;
        }
        return actual;
    }

    /** Samples counted. */
    public long count() {
        long n = 0;
        for (long[] row : counts) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Samples whose predicted class is their true class. */
    public long correct() {
        long right = 0;
        for (int c = 0; c < counts.length; c++) {
            right += counts[c][c];
        }
        return right;
    }

    /** The share of samples predicted right; NaN with none. */
    public double accuracy() {
        long n = count();
        return n == 0 ? Double.NaN : (double) correct() / n;
    }

    /**
     * The mean of the recalls of the classes that have samples: scikit-learn's
     * {@code balanced_accuracy_score}, which a model that always predicts one class scores 1/k on,
     * however imbalanced the classes; NaN with no sample.
     */
    public double balancedAccuracy() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < counts.length; c++) {
            if (support(c) > 0) {
                sum += recall(c);
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** A per-class figure, such as {@code this::f1}. */
    @FunctionalInterface
    public interface PerClass {
        double of(int c);
    }

    /** The unweighted mean of a per-class figure over the classes, NaN counted as 0 (scikit-learn's macro average). */
    public double macro(PerClass figure) {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) {
            double v = figure.of(c);
            sum += Double.isNaN(v) ? 0 : v;
        }
        return sum / counts.length;
    }

    /** The mean of a per-class figure weighted by each class's support, NaN counted as 0; NaN with no sample. */
    public double weighted(PerClass figure) {
        double sum = 0;
        long n = count();
        for (int c = 0; c < counts.length; c++) {
            double v = figure.of(c);
            sum += support(c) * (Double.isNaN(v) ? 0 : v);
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The class names, in index order. */
    public List<String> classes() {
        return classes;
    }

    /**
     * Per-class precision, recall, F1 and support, their macro and weighted averages (as
     * scikit-learn's {@code classification_report}), then the matrix with true classes as rows: for a
     * terminal, so the class names are escaped ({@link Terminal#escape}).
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        List<String> classes = this.classes.stream().map(Terminal::escape).toList(); // for a terminal
        int width = Math.max(12, classes.stream().mapToInt(String::length).max().orElse(5));
        String row = "%-" + width + "s  %9s  %7s  %7s  %7s%n";
        sb.append(String.format(Locale.ROOT, row, "class", "precision", "recall", "F1", "support"));
        for (int c = 0; c < classes.size(); c++) {
            sb.append(String.format(Locale.ROOT, row, classes.get(c), percent(precision(c)), percent(recall(c)),
                    percent(f1(c)), support(c)));
        }
        sb.append(String.format(Locale.ROOT, row, "macro avg", percent(macro(this::precision)),
                percent(macro(this::recall)), percent(macro(this::f1)), count()));
        sb.append(String.format(Locale.ROOT, row, "weighted avg", percent(weighted(this::precision)),
                percent(weighted(this::recall)), percent(weighted(this::f1)), count()));
        sb.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted class)%n"));
        int labelWidth = 0;
        for (int t = 0; t < classes.size(); t++) {
            labelWidth = Math.max(labelWidth, ("[" + t + "] " + classes.get(t)).length());
        }
        sb.append(String.format(Locale.ROOT, "%-" + labelWidth + "s", ""));
        for (int c = 0; c < classes.size(); c++) {
            sb.append(String.format(Locale.ROOT, " %6s", "[" + c + "]"));
        }
        sb.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            sb.append(String.format(Locale.ROOT, "%-" + labelWidth + "s", "[" + t + "] " + classes.get(t)));
            for (int p = 0; p < classes.size(); p++) {
                sb.append(String.format(Locale.ROOT, " %6d", counts[t][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
