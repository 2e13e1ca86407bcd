package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.tensor.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --task regression end to end: train, evaluate, predict, gradcheck, and its mistakes. */
class RegressionCommandTest {
    @TempDir
    Path dir;
    Path train, test;

    /** y = 3·a − 2·b + 100 and z = a·b, with a little noise: targets far from 0, as real ones are. */
    static void write(Path file, int rows, long seed) throws Exception {
        Random rng = new Random(seed);
        StringBuilder sb = new StringBuilder("a,y,b,z\n");
        for (int i = 0; i < rows; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f%n", a, 3 * a - 2 * b + 100 + 0.05 * rng.nextGaussian(),
                    b, a * b));
        }
        Files.writeString(file, sb.toString());
    }

    @BeforeEach
    void data() throws Exception {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        write(train, 400, 1);
        write(test, 100, 2);
    }

    static double r2(String out, String what) {
        Matcher m = Pattern.compile(what + " MSE [^\\n]*R² (-?[0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsEvaluatesAndPredictsInTheTargetsOwnUnits() throws Exception {
        Path model = dir.resolve("m.json"), pred = dir.resolve("p.csv"), png = dir.resolve("pred.png");
        var r = TrainCommandTest.run("train", "--data", train.toString(), "--test", test.toString(), "--task",
                "regression", "--label", "y", "--standardize-targets", "--layers", "16", "--optimizer", "adam",
                "--lr", "0.01", "--epochs", "60", "--batch", "32", "--no-plot", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(400 samples x 3 features, 1 target)"), r.out());
        assertTrue(r.out().contains("3 -> 16 relu -> 1 linear"), r.out());
        assertTrue(r.out().contains("mean squared error, mean over the samples"), r.out());
        assertTrue(r2(r.out(), "test") > 0.99, r.out());

        Model m = ModelFile.read(model);
        assertTrue(m.isRegression());
        assertEquals(List.of("y"), m.classNames());
        assertEquals(100, m.targetStandardization().mean()[0], 0.5);

        var e = TrainCommandTest.run("evaluate", "--model", model.toString(), "--data", test.toString(), "--label", "y",
                "--confusion", png.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("MSE") && e.out().contains("R²"), e.out());
        assertTrue(Files.size(png) > 1000);

        var p = TrainCommandTest.run("predict", "--model", model.toString(), "--data", test.toString(), "--label", "y",
                "--out", pred.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(pred);
        assertEquals("row,y", lines.get(0));
        assertEquals(101, lines.size());
        String[] firstRow = Files.readAllLines(test).get(1).split(",");
        double expected = Double.parseDouble(firstRow[1]);
        double predicted = Double.parseDouble(lines.get(1).split(",")[1]);
        assertEquals(expected, predicted, 1.0, "the standardisation of the targets is undone");
        Matrix x = Matrix.rowVector(Double.parseDouble(firstRow[0]), Double.parseDouble(firstRow[2]),
                Double.parseDouble(firstRow[3]));
        assertEquals(m.predictValues(x).get(0, 0), predicted, 1e-9);
    }

    @Test
    void severalTargetsAndTheHuberLoss() {
        var r = TrainCommandTest.run("train", "--data", train.toString(), "--task", "regression", "--label", "y,z",
                "--loss", "huber", "--huber-delta", "2", "--standardize", "--layers", "32", "--optimizer", "adam",
                "--lr", "0.01", "--epochs", "40", "--batch", "32", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 features, 2 targets"), r.out());
        assertTrue(r.out().contains("huber, delta 2.0, mean over the samples"), r.out());
        assertTrue(r.out().contains("training:") && r.out().contains("\nz "), r.out());
    }

    @Test
    void gradcheckChecksTheRegressionLoss() {
        var r = TrainCommandTest.run("gradcheck", "--data", train.toString(), "--task", "regression", "--label", "y",
                "--loss", "huber", "--samples", "20", "--activation", "tanh");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS"), r.out());
    }

    @Test
    void aContinuousLabelColumnGetsAHint() throws Exception {
        var r = TrainCommandTest.run("train", "--data", train.toString(), "--label", "y", "--epochs", "1", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("hint       the label column has 400 distinct numbers in 400 rows, each a class; if "
                + "it is a quantity to predict, add --task regression"), r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--task regress|--task: 'regress' is not classification or regression",
        "--task regression --loss hinge|--loss: 'hinge' is not mse or huber",
        "--loss mse|--loss: 'mse' is a regression loss; add --task regression",
        "--task regression --huber-delta 2|--huber-delta: only used with --loss huber",
        "--standardize-targets|--standardize-targets: only used with --task regression",
        "--task regression --label y,y|target column 'y' is given twice",
        "--task regression --label nope|no label column 'nope'",
    })
    void mistakesGetOneLineAndExitCodeTwo(String args, String message) {
        String[] given = ("train --no-plot --data " + train + " " + args).split(" ");
        var r = TrainCommandTest.run(given);
        assertEquals(2, r.code(), r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void regressionWithoutDataIsRefused() {
        var r = TrainCommandTest.run("train", "--task", "regression", "--no-plot");
        assertEquals(2, r.code());
        assertNull(null);
        assertEquals("descent train: --task regression: give the data, a CSV file with numeric target columns (--data)",
                r.err().strip());
    }
}
