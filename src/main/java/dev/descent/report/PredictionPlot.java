package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.metrics.RegressionMetrics;
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
 * Predicted against true values of a regression model, one dot per row and one colour per
 * target, over the diagonal y = x on which a perfect model's dots would lie. PNG or SVG by the
 * file's extension.
 */
public final class PredictionPlot {
    private PredictionPlot() {}

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd)};

    public static void write(RegressionMetrics metrics, String title, Path path) throws IOException {
        XYChart chart = new XYChartBuilder().width(LossPlot.HEIGHT + 100).height(LossPlot.HEIGHT).title(title)
                .xAxisTitle("true value").yAxisTitle("predicted value").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < metrics.names().size(); j++) {
            double[][] xy = metrics.points(j);
            if (xy[0].length == 0) {
                continue;
            }
            for (double[] axis : xy) {
                for (double v : axis) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            XYSeries s = chart.addSeries(metrics.names().get(j), xy[0], xy[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(COLOURS[j % COLOURS.length]);
        }
        if (lo <= hi) {
            XYSeries diagonal = chart.addSeries("predicted = true", new double[] {lo, hi}, new double[] {lo, hi});
            diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            diagonal.setMarker(SeriesMarkers.NONE);
            diagonal.setLineColor(Color.GRAY);
        }
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
