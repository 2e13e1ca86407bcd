package dev.descent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.descent.cli.Main;
import dev.descent.data.Dataset;
import dev.descent.init.Initializer;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Shape;
import dev.descent.loss.Reduction;
import dev.descent.loss.SoftmaxCrossEntropy;
import dev.descent.network.Network;
import dev.descent.optim.GradientDescent;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The live page and the report in a real browser (Debian's headless Chromium): the charts hold the
 * run's own numbers, read back from the page and compared with the history the run wrote; a
 * finding appears when the doctor makes one; the report opens from a file with the same figures
 * and asks nothing of the network.
 *
 * <p>With {@code -Ddescent.screenshots=docs} the pictures of both pages in docs/ are taken again.
 */
class LiveBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/");

    @TempDir
    Path dir;

    private ChromeDriver browser;
    private Thread command;
    private final StringWriter out = new StringWriter(), err = new StringWriter();
    private final AtomicInteger code = new AtomicInteger(-1);

    @BeforeEach
    void browser() {
        assumeTrue(Browser.installed(), "skipped: no /usr/bin/chromium and /usr/bin/chromedriver here "
                + "(apt-get install chromium chromium-driver; .ci/run installs them)");
        browser = Browser.start(dir.resolve("profile"), 1280, 900);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (command != null) {
            command.interrupt(); // as Ctrl-C: the command stops serving and returns
            command.join(10_000);
        }
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theLivePageFollowsTheRunAndHoldsItsValuesAndTheReportHasTheSame() throws Exception {
        Path csv = blobs(dir.resolve("blobs.csv")), history = dir.resolve("history.csv"),
                report = dir.resolve("report.html");
        String url = start("train", "--data", csv.toString(), "--batch", "16", "--epochs", "600", "--layers", "32",
                "--validation-split", "0.2", "--lr", "0.02", "--no-plot", "--history", history.toString(),
                "--report", report.toString(), "--live");
        browser.get(url);
        // The page follows the run while it trains: it shows an epoch before the last.
        int seenWhileTraining = until(() -> {
            // null until the page's script has run: get() may return while a slow machine still parses it
            Object epochs = js("return window.descent ? descent.state.epochs.length : null");
            return epochs != null && ((Number) epochs).intValue() > 1 ? ((Number) epochs).intValue() : null;
        });
        until(() -> "finished".equals(browser.findElement(By.tagName("body")).getAttribute("data-state")) ? true : null);
        assertEquals(0, code.get() < 0 ? 0 : code.get(), err.toString()); // still serving: no exit code yet
        assertTrue(seenWhileTraining < 601, "the page showed the run only once it was over");
        assertTrue(out.toString().contains("live page: " + url), out.toString());

        List<double[]> rows = history(history);
        assertEquals(601, rows.size());
        Map<String, Object> live = chartData();
        assertChartsHold(rows, live);
        assertEquals("600 of 600", text("figure-epoch"));
        // The evaluation of the validation set at the end is the last epoch's validation accuracy.
        double accuracy = ((Number) js("return descent.state.evaluation.accuracy")).doubleValue();
        assertEquals(rows.get(600)[4], accuracy, 1e-12);
        long counted = ((Number) js("return descent.state.evaluation.confusion.flat().reduce((a, b) => a + b, 0)"))
                .longValue();
        assertEquals(300, counted);
        assertEquals(3, browser.findElements(By.cssSelector("#classes tbody tr")).size());
        screenshot("live.png");

        // The report on a phone's screen.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(412, 1400));
        browser.get(report.toUri().toString());
        until(() -> "finished".equals(browser.findElement(By.tagName("body")).getAttribute("data-state")) ? true : null);
        assertEquals(live, chartData(), "the report's charts differ from the live page's");
        assertEquals(0L, js("return performance.getEntriesByType('resource').length"), "the report fetched something");
        assertEquals(0L, js("return document.querySelectorAll('[src], [href], link, iframe, img').length"));
        assertEquals(accuracy, ((Number) js("return descent.state.evaluation.accuracy")).doubleValue());
        screenshot("report.png");
    }

    @Test
    void aFindingAppearsWhenTheDoctorMakesOneAndTheUnitsChartShowsItsDeadLayer() throws Exception {
        // The README's example: at lr 0.5 on the seed network every ReLU dies within a few steps. The steps
        // too large are the one problem; the dead layer is its evidence.
        String url = start("doctor", "--lr", "0.5", "--live");
        browser.get(url);
        until(() -> "finished".equals(browser.findElement(By.tagName("body")).getAttribute("data-state")) ? true : null);
        var finding = browser.findElement(By.cssSelector("#findings li[data-kind='step_too_large']"));
        assertTrue(finding.getAttribute("class").contains("problem"));
        String title = finding.findElement(By.className("title")).getText();
        assertTrue(out.toString().contains("problem: " + title), title + "\n" + out);
        // The per-layer figures agree: after the last sampled epoch all 20 units of layer 2 are dead.
        List<?> dead = (List<?>) js("const d = descent.charts.units.data; return d[1]");
        assertEquals(20L, dead.get(dead.size() - 1));
    }

    /**
     * A convolutional network's report says filters where a dense layer's says units: the second
     * filter of its convolution is off at every position (its bias -100), and the report counts it,
     * one dead filter of 3, in the units chart's legend and the table of layer samples.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aConvolutionalNetworksReportCountsItsDeadFiltersWhereADenseLayerCountsUnits() throws Exception {
        Shape image = new Shape(1, 6, 6);
        Network network = Network.builder(image).conv(3, 3, 1, 1).activation("relu").maxPool(2, 2).dense(4)
                .activation("relu").dense(2).build();
        Initializer.PYTORCH.initialize(network, 4);
        ((Conv2d) network.layers().get(0)).bias().value().data()[1] = -100;
        Random rng = new Random(1);
        Matrix x = new Matrix(40, image.size());
        int[] y = new int[40];
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < image.size(); j++) {
                x.set(i, j, rng.nextGaussian());
            }
            y[i] = i % 2;
        }
        LayerProbe probe = new LayerProbe(new SoftmaxCrossEntropy(Reduction.MEAN), () -> new GradientDescent(0.1),
                new Dataset(x, y, List.of("a", "b"), "images"), 16);
        RunLog log = new RunLog();
        log.append(Events.epoch(new History.Row(0, 0.7, 0.5, Double.NaN, Double.NaN, 0), 0.1));
        log.append(Events.layers(0, probe.take(network)));
        log.append(Events.end("finished", 0.1));
        Path report = dir.resolve("cnn.html");
        Report.write(log, report);

        browser.get(report.toUri().toString());
        until(() -> "finished".equals(browser.findElement(By.tagName("body")).getAttribute("data-state")) ? true : null);
        List<String> legend = (List<String>) js("return [...document.querySelectorAll('#chart-units .u-legend "
                + ".u-series .u-label')].map(e => e.textContent)");
        assertEquals(List.of("epoch", "layer 2 (relu) dead of 3 filters", "layer 6 (relu) dead of 4 units"), legend);
        List<String> head = (List<String>) js("return [...document.querySelectorAll('#layers thead th')]"
                + ".map(e => e.textContent)");
        assertEquals(List.of("epoch", "|dconv1.W|", "|Δconv1.W|/|conv1.W|", "|dW1|", "|ΔW1|/|W1|", "|dW2|",
                "|ΔW2|/|W2|", "layer 2 (relu) dead filters", "layer 6 (relu) dead units"), head);
        List<String> row = (List<String>) js("return [...document.querySelectorAll('#layers tbody tr:first-child > *')]"
                + ".map(e => e.textContent)");
        assertEquals("1", row.get(7), "one filter of three is dead: " + row);
    }

    /** Runs the command on its own thread; returns the page's address once the command prints it. */
    private String start(String... args) {
        command = new Thread(() -> code.set(Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true))));
        command.start();
        return until(() -> {
            Matcher m = URL.matcher(out.toString());
            if (!m.find()) {
                assertTrue(command.isAlive(), "the command ended: " + err);
                return null;
            }
            return m.group();
        });
    }

    /** Polls {@code condition} until it gives a value, for at most {@link #WAIT}. */
    private static <T> T until(java.util.function.Supplier<T> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            T value = condition.get();
            if (value != null) {
                return value;
            }
            assertTrue(System.nanoTime() < deadline, "timed out after " + WAIT);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * A regression run's report (train, then evaluate of its model) draws the evaluation of a
     * regression model: each target's errors, as the command printed them, and the predicted values
     * against the true ones, which the model file predicts.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aRegressionReportDrawsPredictedAgainstTrueWithTheErrorsTheCommandPrinted() throws Exception {
        Path csv = dir.resolve("line.csv"), report = dir.resolve("regression.html"), model = dir.resolve("m.json"),
                evaluated = dir.resolve("evaluated.html");
        Random r = new Random(5);
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 300; i++) {
            double a = r.nextGaussian(), b = r.nextGaussian();
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n", a, b, 2 * a - b + 0.1 * r.nextGaussian()));
        }
        Files.writeString(csv, sb);
        int trained = Main.run(new String[] {"train", "--data", csv.toString(), "--task", "regression",
            "--epochs", "30", "--lr", "0.01", "--no-plot", "--save", model.toString(), "--report", report.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, trained, err.toString());
        Matcher printed = Pattern.compile("training MSE [0-9.e-]+, RMSE ([0-9.e-]+), MAE [0-9.e-]+, R² ([0-9.]+)")
                .matcher(out.toString());
        assertTrue(printed.find(), out.toString());

        browser.get(report.toUri().toString());
        until(() -> "finished".equals(browser.findElement(By.tagName("body")).getAttribute("data-state")) ? true : null);
        assertEquals("regression", js("return descent.state.evaluation.task"));
        assertEquals(Double.parseDouble(printed.group(1)),
                ((Number) js("return descent.state.evaluation.targets[0].rmse")).doubleValue(), 1e-5);
        assertEquals(printed.group(2), text("figure-evaluation").substring(0, printed.group(2).length()),
                "the page's R² is the one printed");
        List<List<Object>> chart = (List<List<Object>>) chartData().get("regression");
        assertEquals(3, chart.size()); // true, predicted, the line predicted = true
        assertEquals(300, chart.get(0).size());
        assertEquals(chart.get(0), chart.get(2));
        for (int i = 1; i < 300; i++) {
            assertTrue(number(chart.get(0).get(i)) >= number(chart.get(0).get(i - 1)), "in order of the true value");
        }
        assertFalse(browser.findElement(By.id("chart-regression")).getAttribute("hidden") != null, "the picture is shown");
        assertTrue(browser.findElement(By.id("confusion-box")).getAttribute("hidden") != null, "no confusion matrix");
        screenshot("report-regression.png");

        int code = Main.run(new String[] {"evaluate", "--model", model.toString(), "--data",
            csv.toString(), "--task", "regression", "--no-plot", "--report", evaluated.toString()},
                new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        browser.get(evaluated.toUri().toString());
        until(() -> "finished".equals(browser.findElement(By.tagName("body")).getAttribute("data-state")) ? true : null);
        assertEquals(((Number) js("return descent.state.evaluation.targets[0].r2")).doubleValue(),
                Double.parseDouble(printed.group(2)), 5e-5, "evaluate measures the saved model as train did");
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Every chart's data, as uPlot draws it: x first, then each series. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> chartData() {
        return (Map<String, Object>) js("const o = {}; for (const k in descent.charts) o[k] = descent.charts[k].data; "
                + "return o;");
    }

    /** The loss and accuracy charts hold the history's values at its epochs, exactly; the layers' charts are drawn. */
    @SuppressWarnings("unchecked")
    private static void assertChartsHold(List<double[]> rows, Map<String, Object> charts) {
        List<List<Object>> loss = (List<List<Object>>) charts.get("loss");
        List<List<Object>> accuracy = (List<List<Object>>) charts.get("accuracy");
        List<Object> xs = loss.get(0);
        for (double[] row : rows) {
            int i = indexOf(xs, row[0]);
            assertTrue(i >= 0, "epoch " + row[0] + " is not on the loss chart");
            assertEquals(row[1], number(loss.get(1).get(i)), "training loss at epoch " + row[0]);
            assertEquals(row[3], number(loss.get(2).get(i)), "validation loss at epoch " + row[0]);
            int e = (int) row[0];
            assertEquals(100 * row[2], number(accuracy.get(1).get(e)), 1e-9, "accuracy at epoch " + e);
            assertEquals(100 * row[4], number(accuracy.get(2).get(e)), 1e-9, "validation accuracy at epoch " + e);
        }
        assertTrue(loss.size() == 4 && loss.get(3).stream().filter(v -> v != null).count() > 100,
                "the smoothed per-batch loss is drawn");
        List<List<Object>> lr = (List<List<Object>>) charts.get("lr");
        assertTrue(lr.get(1).stream().allMatch(v -> number(v) == 0.02));
        List<List<Object>> gradient = (List<List<Object>>) charts.get("gradient");
        assertEquals(3, gradient.size()); // epochs, W1, W2
        assertTrue(gradient.get(0).size() >= 3 && gradient.get(1).stream().allMatch(v -> number(v) > 0));
        List<List<Object>> update = (List<List<Object>>) charts.get("update");
        assertTrue(update.get(2).stream().allMatch(v -> number(v) > 0 && number(v) < 1));
    }

    private static int indexOf(List<Object> xs, double x) {
        for (int i = 0; i < xs.size(); i++) {
            if (number(xs.get(i)) == x) {
                return i;
            }
        }
        return -1;
    }

    private static double number(Object v) {
        return ((Number) v).doubleValue();
    }

    /** epoch, loss, accuracy, validation loss, validation accuracy of each line of the history CSV. */
    private static List<double[]> history(Path csv) throws Exception {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4])});
        }
        return rows;
    }

    /** Three overlapping classes in 10 features, 1500 rows: a run of a few seconds that learns something. */
    static Path blobs(Path csv) throws Exception {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,label\n");
        for (int i = 0; i < 1500; i++) {
            int c = r.nextInt(3);
            for (int j = 0; j < 10; j++) {
                sb.append(String.format(java.util.Locale.ROOT, "%.4f,", r.nextGaussian() + (j < 3 ? 1.2 * c : 0)));
            }
            sb.append("abc".charAt(c)).append('\n');
        }
        Files.writeString(csv, sb);
        return csv;
    }

    /** Saves the page as a picture in the directory -Ddescent.screenshots names, if it does. */
    private void screenshot(String name) throws Exception {
        String to = System.getProperty("descent.screenshots");
        if (to != null) {
            Files.createDirectories(Path.of(to));
            Files.write(Path.of(to, name), browser.getScreenshotAs(OutputType.BYTES));
        }
    }
}
