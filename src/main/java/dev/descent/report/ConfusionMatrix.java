package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.io.Terminal;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Counts of true class against predicted class, with per-class precision and recall, printed as
 * a table and drawn as a heat map (XChart).
 *
 * <p>precision_c = (true c predicted c) / (predicted c); recall_c = (true c predicted c) / (true c).
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

    /** The class names, in index order. */
    public List<String> classes() {
        return classes;
    }

    /**
     * Per-class precision, recall and support, then the matrix with true classes as rows: for a
     * terminal, so the class names are escaped ({@link Terminal#escape}) and every number is
     * written in {@link Locale#ROOT}.
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        List<String> classes = this.classes.stream().map(Terminal::escape).toList();
        int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %7s  %7s%n", "class", "precision", "recall", "support"));
        for (int c = 0; c < classes.size(); c++) {
            long support = 0;
            for (long v : counts[c]) {
                support += v;
            }
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %7s  %7d%n", classes.get(c),
                    percent(precision(c)), percent(recall(c)), support));
        }
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

    /** Draws the matrix as a PNG heat map with class names on both axes, atomically. */
    public void writeHeatMap(Path path, String title) throws IOException {
        int k = classes.size();
        int size = Math.max(500, 120 + 60 * k);
        HeatMapChart chart = new HeatMapChartBuilder().width(size + 120).height(size).title(title)
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)});
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                // XChart puts y = 0 at the bottom: flip so the first class is the top row.
                cells.add(new Number[] {p, k - 1 - t, counts[t][p]});
            }
        }
        List<String> reversed = new ArrayList<>(classes);
        Collections.reverse(reversed);
        chart.addSeries("counts", classes, reversed, cells);
        AtomicFiles.write(path, out -> Png.write(chart, out));
    }
}
