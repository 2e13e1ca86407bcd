package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.data.CsvDataset;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.tensor.Matrix;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --save on a CSV file, then evaluate and predict with the model, all through the CLI. */
class EvaluatePredictTest {
    @TempDir
    Path dir;
    Path train, test, model;

    /** Three flower-like classes in 3 features, far apart on a large scale, so standardisation matters. */
    static void writeCsv(Path file, int rows, long seed, boolean withLabels) throws Exception {
        Random rng = new Random(seed);
        List<String> names = List.of("setosa", "versicolor", "virginica");
        StringBuilder sb = new StringBuilder(withLabels ? "petal,sepal,stem,species\n" : "petal,sepal,stem\n");
        for (int i = 0; i < rows; i++) {
            int c = i % 3;
            sb.append(100 * c + 10 * rng.nextGaussian()).append(',').append(5 + c + rng.nextGaussian()).append(',')
                    .append(1000 + rng.nextGaussian());
            sb.append(withLabels ? "," + names.get(c) + "\n" : "\n");
        }
        Files.writeString(file, sb.toString());
    }

    @BeforeEach
    void trainAModel() throws Exception {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        model = dir.resolve("model.json");
        writeCsv(train, 150, 1, true);
        writeCsv(test, 60, 2, true);
        Result r = run("train", "--data", train.toString(), "--test", test.toString(), "--standardize", "--layers", "8",
                "--epochs", "30", "--batch", "16", "--validation-split", "0.2", "--no-plot", "--save", model.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("validation 30 samples held out (seed 1)"), r.out());
        assertTrue(r.out().contains("test accuracy"), r.out());
    }

    @Test
    void theModelKeepsClassNamesAndStandardization() throws Exception {
        Model m = ModelFile.read(model);
        assertEquals(List.of("setosa", "versicolor", "virginica"), m.classNames());
        assertTrue(m.standardization() != null);
        assertTrue(Math.abs(m.standardization().mean()[2] - 1000) < 1, "mean of the stem column");
        assertTrue(((Number) m.training().get("testAccuracy")).doubleValue() > 0.9, m.training().toString());
    }

    /**
     * train's test line and evaluate's report of the saved model give the same loss and accuracy,
     * digit for digit: on a test set of over 1,000 rows train takes them from the scores' pass, on
     * a small one from an evaluation of its own.
     */
    @Test
    void trainsTestFiguresAreEvaluatesOfTheSavedModel() throws Exception {
        for (int rows : new int[] {60, 1500}) {
            Path big = dir.resolve("test" + rows + ".csv"), saved = dir.resolve("model" + rows + ".json");
            writeCsv(big, rows, 3, true);
            Result trained = run("train", "--data", train.toString(), "--test", big.toString(), "--standardize",
                    "--layers", "8", "--epochs", "3", "--batch", "16", "--no-plot", "--save", saved.toString());
            assertEquals(0, trained.code(), trained.err());
            java.util.regex.Matcher t = java.util.regex.Pattern.compile(
                    "test loss (\\S+), test accuracy (\\S+)%").matcher(trained.out());
            assertTrue(t.find(), trained.out());
            Result evaluated = run("evaluate", "--model", saved.toString(), "--data", big.toString(), "--no-plot");
            assertEquals(0, evaluated.code(), evaluated.err());
            assertTrue(evaluated.out().contains("loss " + t.group(1)), rows + " rows: " + t.group(1) + "\n"
                    + evaluated.out());
            assertTrue(evaluated.out().contains(t.group(2) + "%"), rows + " rows: " + t.group(2) + "\n" + evaluated.out());
        }
    }

    @Test
    void evaluatePrintsPerClassNumbersAndDrawsTheConfusionMatrix() throws Exception {
        Path png = dir.resolve("confusion.png");
        Result r = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--confusion", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("accuracy"), r.out());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("class precision recall F1 support"), r.out());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("macro avg 100.0% 100.0% 100.0% 60"), r.out());
        assertTrue(r.out().contains("versicolor"), r.out());
        assertTrue(r.out().contains("confusion matrix (rows: true class, columns: predicted class)"), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 500 && image.getHeight() >= 500);
    }

    @Test
    void predictWritesClassesAndProbabilitiesAsTheModelComputesThem() throws Exception {
        Path rows = dir.resolve("rows.csv"), out = dir.resolve("predictions.csv");
        writeCsv(rows, 9, 3, false);
        Result r = run("predict", "--model", model.toString(), "--data", rows.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,class,p_setosa,p_versicolor,p_virginica", lines.get(0));
        assertEquals(10, lines.size());

        Model m = ModelFile.read(model);
        Matrix p = m.predictProbabilities(CsvDataset.readFeatures(rows, CsvDataset.Options.DEFAULT, 3));
        List<String> expectedClass = List.of("setosa", "versicolor", "virginica");
        for (int i = 0; i < 9; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(Integer.toString(i + 1), cells[0]);
            assertEquals(expectedClass.get(i % 3), cells[1], "row " + (i + 1));
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                assertEquals(p.get(i, c), Double.parseDouble(cells[2 + c]), 0.0);
                sum += Double.parseDouble(cells[2 + c]);
            }
            assertEquals(1.0, sum, 1e-12);
        }
    }

    @Test
    void predictToStandardOutputIgnoresALabelColumn() {
        Result r = run("predict", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(61, r.out().strip().split("\n").length);
    }

    @Test
    void badInputToEvaluateAndPredict() throws Exception {
        Path wrong = dir.resolve("wrong.csv");
        Files.writeString(wrong, "a,b\n1,2\n");
        Result r = run("predict", "--model", model.toString(), "--data", wrong.toString());
        assertEquals(2, r.code());
        assertEquals("descent predict: --data: " + wrong + ": 2 columns, but the model takes 3 features (give 3 columns, "
                + "or 4 with a label)", r.err().strip());

        r = run("evaluate", "--model", dir.resolve("none.json").toString(), "--data", test.toString());
        assertEquals(2, r.code());
        assertEquals("descent evaluate: --model: " + dir.resolve("none.json") + ": no such file or directory", r.err().strip());

        r = run("predict", "--model", model.toString());
        assertEquals(2, r.code());
        assertEquals("descent predict: --data: give the rows to predict, a CSV file or an IDX directory", r.err().strip());
    }

    @Test
    void patienceWithoutValidationIsRefused() {
        Result r = run("train", "--data", train.toString(), "--patience", "3", "--no-plot");
        assertEquals(2, r.code());
        assertEquals("descent train: --patience: early stopping watches the validation loss; add --validation-split",
                r.err().strip());
    }

    @Test
    void adamWithEarlyStoppingKeepsTheBestEpoch() {
        Result r = run("train", "--data", train.toString(), "--optimizer", "adam", "--epochs", "200", "--batch", "8",
                "--validation-split", "0.3", "--patience", "5", "--standardize", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("optimizer  adam, lr 0.001, batches of 8"), r.out());
        assertTrue(r.out().contains("kept the parameters of epoch"), r.out());
    }
}
