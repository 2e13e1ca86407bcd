package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss curve as a picture, drawn with XChart: training (and, when there is one, validation)
 * loss against epoch, as PNG or SVG by the file's extension, optionally on a logarithmic loss axis. A dashed line marks a floor under the loss
 * when one is known (contradictory data puts one there).
 */
public final class LossPlot {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    private final String title;
    private final String lossLabel;
    private final boolean logScale;
    private Double floor;
    private String floorLabel;

    /**
     * @param title     the chart's title
     * @param lossLabel the loss axis label, such as {@code "loss (sum over 10 samples)"}
     * @param logScale  a logarithmic loss axis
     */
    public LossPlot(String title, String lossLabel, boolean logScale) {
        this.title = title;
        this.lossLabel = lossLabel;
        this.logScale = logScale;
    }

    /** Draws a horizontal dashed line at {@code value}, named {@code label} in the legend. */
    public LossPlot floor(double value, String label) {
        this.floor = value;
        this.floorLabel = label;
        return this;
    }

    /** Whether {@code path} names a format this class writes (.png or .svg). */
    public static boolean supports(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".svg");
    }

    /** Writes the picture of {@code history} to {@code path} (.png or .svg), atomically. */
    public void write(History history, Path path) throws IOException {
        write(history.rows(), path);
    }

    /** Writes the picture of the epochs so far, {@code rows} from epoch 0, atomically: a run in progress. */
    public void write(List<History.Row> rows, Path path) throws IOException {
        if (!supports(path)) {
            throw new IllegalArgumentException(path + ": the plot must be a .png or .svg file");
        }
        XYChart chart = chart(rows);
        boolean svg = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg");
        AtomicFiles.write(path, out -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                Png.write(chart, out);
            }
        });
    }

    XYChart chart(History history) {
        return chart(history.rows());
    }

    XYChart chart(List<History.Row> rows) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(lossLabel + (logScale ? ", log scale" : "")).build();
        chart.getStyler().setYAxisLogarithmic(logScale);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        boolean validation = rows.get(0).hasValidation();
        chart.getStyler().setLegendVisible(floor != null || validation);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        double[] epochs = rows.stream().mapToDouble(History.Row::epoch).toArray();
        double[] losses = rows.stream().mapToDouble(History.Row::loss).toArray();
        XYSeries loss = chart.addSeries("training loss", epochs, finiteOnly(losses));
        loss.setMarker(SeriesMarkers.NONE);
        loss.setLineColor(new Color(0x1f77b4));
        if (validation) {
            double[] v = rows.stream().mapToDouble(History.Row::validationLoss).toArray();
            XYSeries val = chart.addSeries("validation loss", epochs, finiteOnly(v));
            val.setMarker(SeriesMarkers.NONE);
            val.setLineColor(new Color(0xff7f0e));
        }
        if (floor != null) {
            double last = epochs[epochs.length - 1];
            XYSeries f = chart.addSeries(floorLabel, new double[] {0, last}, new double[] {floor, floor});
            f.setMarker(SeriesMarkers.NONE);
            f.setLineColor(Color.GRAY);
            f.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
        }
        return chart;
    }

    /** XChart cannot draw NaN or infinity; those points are left out (replaced by the previous value). */
    private static double[] finiteOnly(double[] values) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                out[i] = i > 0 ? out[i - 1] : 0.0;
            }
        }
        return out;
    }
}
