package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.metrics.Roc;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The ROC curve of a two-class model ({@link Roc}): true-positive rate against false-positive
 * rate over every threshold, its area in the legend, over the diagonal of a model that guesses.
 * PNG or SVG by the file's extension.
 */
public final class RocPlot {
    private RocPlot() {}

    /** Points drawn at most: a curve of more thresholds is thinned evenly, ends kept. */
    static final int POINTS = 2000;

    /** @param positive the class whose score the curve thresholds */
    public static void write(Roc roc, String positive, String title, Path path) throws IOException {
        XYChart chart = new XYChartBuilder().width(LossPlot.HEIGHT + 100).height(LossPlot.HEIGHT).title(title)
                .xAxisTitle("false-positive rate").yAxisTitle("true-positive rate ('" + positive + "')").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        double[][] xy = roc.thinned(POINTS);
        XYSeries curve = chart.addSeries(String.format(Locale.ROOT, "AUC %.4f", roc.auc()), xy[0], xy[1]);
        curve.setMarker(SeriesMarkers.NONE);
        curve.setLineColor(new Color(0x1f77b4));
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        boolean svg = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg");
        AtomicFiles.write(path, out -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                Png.write(chart, out);
            }
        });
    }
}
