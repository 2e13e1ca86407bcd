package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.metrics.ConfusionMatrix;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/** A confusion matrix drawn as a PNG heat map (XChart), with class names on both axes. */
public final class ConfusionMatrixPlot {
    private ConfusionMatrixPlot() {}

    /** Draws {@code m} to {@code path}, atomically. */
    public static void write(ConfusionMatrix m, Path path, String title) throws IOException {
        List<String> classes = m.classes();
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
                cells.add(new Number[] {p, k - 1 - t, m.count(t, p)});
            }
        }
        List<String> reversed = new ArrayList<>(classes);
        Collections.reverse(reversed);
        chart.addSeries("counts", classes, reversed, cells);
        AtomicFiles.write(path, out -> Png.write(chart, out));
    }
}
