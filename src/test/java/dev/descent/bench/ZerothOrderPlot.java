package dev.descent.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The picture of docs/zeroth-order.md, drawn with XChart as {@code report.LossPlot} draws a run's:
 * four panels, the seed example and Fashion-MNIST, each loss against steps and against seconds
 * (logarithmic axes), one line per way of training, from the CSV files {@link ZerothOrderCurves}
 * writes. Run: {@code java -cp ... dev.descent.bench.ZerothOrderPlot SEED.csv FMNIST.csv OUT.png}.
 */
public final class ZerothOrderPlot {
    private ZerothOrderPlot() {}

    static final int WIDTH = 800, HEIGHT = 500;
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0x7f7f7f), new Color(0xd62728), new Color(0xff7f0e),
        new Color(0x2ca02c)};

    public static void main(String[] args) throws IOException {
        Map<String, List<double[]>> seed = read(Path.of(args[0])), fmnist = read(Path.of(args[1]));
        BufferedImage image = new BufferedImage(2 * WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        draw(g, chart("Seed example, 5-20-10: loss against steps", "step", "loss (sum over 10 samples)", seed, 0), 0, 0);
        draw(g, chart("Seed example: loss against seconds of steps", "seconds", "loss (sum over 10 samples)", seed, 1),
                WIDTH, 0);
        draw(g, chart("Fashion-MNIST, 784-128-10: loss against steps", "step", "loss (mean, 10,000 training images)",
                fmnist, 0), 0, HEIGHT);
        draw(g, chart("Fashion-MNIST: loss against seconds of steps", "seconds", "loss (mean, 10,000 training images)",
                fmnist, 1), WIDTH, HEIGHT);
        g.dispose();
        ImageIO.write(image, "png", Path.of(args[2]).toFile());
    }

    private static void draw(Graphics2D g, XYChart chart, int x, int y) {
        g.drawImage(BitmapEncoder.getBufferedImage(chart), x, y, null);
    }

    /** Loss against column {@code column} (0: step, 1: seconds) for every method; step 0 and second 0 left out of log axes. */
    static XYChart chart(String title, String xTitle, String yTitle, Map<String, List<double[]>> curves, int column) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle + ", log scale")
                .yAxisTitle(yTitle + ", log scale").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (double[] row : e.getValue()) {
                if (row[column] > 0 && Double.isFinite(row[2]) && row[2] > 0) {
                    xs.add(row[column]);
                    ys.add(row[2]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(COLORS[c++ % COLORS.length]);
        }
        return chart;
    }

    /** method -> rows of (step, seconds, loss, accuracy), in file order. */
    static Map<String, List<double[]>> read(Path csv) throws IOException {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] row = new double[4];
            for (int i = 0; i < 4; i++) {
                row[i] = Double.parseDouble(cells[i + 1]);
            }
            curves.computeIfAbsent(cells[0], k -> new ArrayList<>()).add(row);
        }
        return curves;
    }
}
