package dev.descent.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The picture of docs/performance.md's scaling round, drawn with XChart from the runs
 * {@code bench/scaling.sh} writes: one panel per thing changed (hidden width with one layer and
 * with two, batch size, rows, threads), training samples per second against it for Descent,
 * numpy and PyTorch (the median of the rounds), and a sixth panel of peak memory against width.
 * Run: {@code java -cp ... dev.descent.bench.ScalingPlot scaling.csv OUT.png}.
 */
public final class ScalingPlot {
    private ScalingPlot() {}

    static final int WIDTH = 560, HEIGHT = 420;
    static final String[] PROGRAMS = {"descent", "numpy", "torch"};
    static final String[] NAMES = {"Descent", "numpy", "PyTorch"};
    static final Color[] COLORS = {new Color(0xd62728), new Color(0x1f77b4), new Color(0xff7f0e)};

    public static void main(String[] args) throws IOException {
        // dimension -> program -> value -> samples/s of each round, and peak MiB
        Map<String, Map<String, TreeMap<Double, List<double[]>>>> runs = read(Path.of(args[0]));
        BufferedImage image = new BufferedImage(3 * WIDTH, 2 * HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        String[][] panels = {
            {"width1", "784-H-10: hidden width H", "H", "log"},
            {"width2", "784-H-H-10: hidden width H", "H", "log"},
            {"batch", "784-128-10: batch size", "rows per batch", "linear"},
            {"rows", "784-128-10: training rows", "rows (Fashion-MNIST repeated)", "linear"},
            {"threads", "784-128-10: threads", "threads (cores)", "linear"}};
        for (int i = 0; i < panels.length; i++) {
            String[] p = panels[i];
            boolean log = p[3].equals("log");
            XYChart chart = chart(p[1], p[2], "training samples/s" + (log ? ", log scale" : ""), log,
                    runs.getOrDefault(p[0], Map.of()), 0);
            g.drawImage(BitmapEncoder.getBufferedImage(chart), (i % 3) * WIDTH, (i / 3) * HEIGHT, null);
        }
        XYChart memory = chart("784-H-H-10: peak memory", "H", "peak RSS, MiB", true,
                runs.getOrDefault("width2", Map.of()), 1);
        memory.getStyler().setYAxisLogarithmic(false);
        memory.getStyler().setYAxisMin(0.0);
        g.drawImage(BitmapEncoder.getBufferedImage(memory), 2 * WIDTH, HEIGHT, null);
        g.dispose();
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }

    /**
     * Column {@code column} (0: samples/s, 1: peak MiB), the median of the rounds, against the
     * value, one line per program; both axes logarithmic when {@code log} (the widths, whose
     * speeds span decades), else linear from 0.
     */
    static XYChart chart(String title, String xTitle, String yTitle, boolean log,
            Map<String, TreeMap<Double, List<double[]>>> byProgram, int column) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle + (log ? ", log scale" : "")).yAxisTitle(yTitle).build();
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmic(log);
        if (!log) {
            chart.getStyler().setYAxisMin(0.0);
        }
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        for (int p = 0; p < PROGRAMS.length; p++) {
            TreeMap<Double, List<double[]>> points = byProgram.get(PROGRAMS[p]);
            if (points == null || points.isEmpty()) {
                continue;
            }
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            points.forEach((x, rounds) -> {
                double[] values = rounds.stream().mapToDouble(r -> r[column]).filter(v -> v > 0).sorted().toArray();
                if (values.length > 0) {
                    xs.add(x);
                    ys.add(values.length % 2 == 1 ? values[values.length / 2]
                            : (values[values.length / 2 - 1] + values[values.length / 2]) / 2);
                }
            });
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(NAMES[p], xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(COLORS[p]);
            s.setMarkerColor(COLORS[p]);
        }
        return chart;
    }

    static Map<String, Map<String, TreeMap<Double, List<double[]>>>> read(Path csv) throws IOException {
        Map<String, Map<String, TreeMap<Double, List<double[]>>>> runs = new TreeMap<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (c.length < 5 || c[3].isEmpty()) {
                continue; // a run that failed
            }
            runs.computeIfAbsent(c[0], k -> new TreeMap<>()).computeIfAbsent(c[2], k -> new TreeMap<>())
                    .computeIfAbsent(Double.parseDouble(c[1]), k -> new ArrayList<>())
                    .add(new double[] {Double.parseDouble(c[3]), Double.parseDouble(c[4])});
        }
        return runs;
    }
}
