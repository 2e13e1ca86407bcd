package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.data.CsvDataset;
import dev.descent.metrics.Scores;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table with text columns through train, the model file, evaluate, predict and the Java model. */
class CategoricalCommandTest {
    @TempDir
    Path dir;
    Path train, test, model;

    /** The label follows the colour and the size; some sizes are missing; one city is rare. */
    static String table(int rows, long seed, String extraCity) {
        Random rng = new Random(seed);
        List<String> colours = List.of("red", "green", "blue");
        StringBuilder sb = new StringBuilder("colour,size,city,label\n");
        for (int i = 0; i < rows; i++) {
            String colour = colours.get(rng.nextInt(3));
            double size = rng.nextGaussian() * 10 + 50;
            boolean yes = colour.equals("red") ^ size > 55;
            String city = i == 3 && extraCity != null ? extraCity : i % 50 == 7 ? "Nice" : rng.nextBoolean() ? "Paris" : "Lyon";
            String sizeCell = i % 17 == 5 ? "" : String.format(Locale.ROOT, "%.2f", size);
            sb.append(colour).append(',').append(sizeCell).append(',').append(city).append(',')
                    .append(yes ? "yes" : "no").append('\n');
        }
        return sb.toString();
    }

    @BeforeEach
    void trainAModel() throws Exception {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        model = dir.resolve("m.json");
        Files.writeString(train, table(600, 1, null));
        Files.writeString(test, table(200, 2, null));
        Result r = run("train", "--data", train.toString(), "--test", test.toString(), "--impute", "median",
                "--min-category-count", "20", "--standardize", "--validation-split", "0.2", "--layers", "16",
                "--optimizer", "adam", "--lr", "0.01", "--epochs", "30", "--batch", "32", "--no-plot", "--save",
                model.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("colour: 3 categories -> 3 columns"), r.out());
        assertTrue(r.out().contains("size: missing cells filled with the median"), r.out());
        assertTrue(r.out().contains("city: 3 categories, 1 rarer than 20 rows as (other) -> 3 columns"), r.out());
        assertTrue(r.out().contains("(600 samples x 7 features, 2 classes)") || r.out().contains("x 7 features"),
                r.out());
    }

    @Test
    void theModelKeepsTheEncodingAndPredictsFromText() throws Exception {
        assertTrue(Files.readString(model).contains("\"version\" : 2"), "a model with an encoding is version 2");
        Model m = ModelFile.read(model);
        assertNotNull(m.encoding());
        assertEquals(List.of("colour=blue", "colour=green", "colour=red", "size", "city=Lyon", "city=Paris",
                "city=(other)"), m.encoding().featureNames());
        // the one-hot columns are not standardised
        assertEquals(0.0, m.standardization().mean()[0]);
        assertEquals(1.0, m.standardization().std()[0]);
        assertTrue(m.standardization().std()[3] > 1, "size is");
        // the Java model from rows of text, as the CLI reads them
        List<String> classes = m.predictClasses(List.<String[]>of(new String[] {"red", "40", "Paris"},
                new String[] {"blue", "70", "Nice"}, new String[] {"green", "", "Lyon"}));
        assertEquals(3, classes.size());
        Scores.Classes scores = (Scores.Classes) m.evaluate(CsvDataset.read(test,
                CsvDataset.Options.DEFAULT.withEncoding(m.encoding(), false), m.classNames()));
        assertTrue(scores.accuracy() > 0.85, "accuracy " + scores.accuracy());
        Result e = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--no-plot");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains(String.format(Locale.ROOT, "accuracy %.2f%%", 100 * scores.accuracy())), e.out());
    }

    @Test
    void aCategoryUnseenInTrainingIsOneLineAndNoPredictionIsWritten() throws Exception {
        Path rows = dir.resolve("rows.csv"), out = dir.resolve("p.csv");
        Files.writeString(rows, table(100, 3, "Rome"));
        Result r = run("predict", "--model", model.toString(), "--data", rows.toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertEquals("descent predict: --data: " + rows + ":5:3: 'Rome' is not one of the 3 categories of 'city' the "
                + "model was trained on; --unknown-category ignore encodes it as all zeros", r.err().strip());
        assertFalse(Files.exists(out), "nothing written");
        Result toStdout = run("predict", "--model", model.toString(), "--data", rows.toString());
        assertEquals(2, toStdout.code());
        assertEquals("", toStdout.out(), "not a partial line on standard output either");
        Result ignored = run("predict", "--model", model.toString(), "--data", rows.toString(), "--out",
                out.toString(), "--unknown-category", "ignore");
        assertEquals(0, ignored.code(), ignored.err());
        assertTrue(ignored.err().contains("1 cell of categories the model was not trained on, encoded as all zeros"),
                ignored.err());
        assertEquals(101, Files.readAllLines(out).size());
        Result evaluate = run("evaluate", "--model", model.toString(), "--data", rows.toString(), "--no-plot");
        assertEquals(2, evaluate.code());
        assertTrue(evaluate.err().contains("'Rome' is not one of the 3 categories"), evaluate.err());
        Result test = run("train", "--data", train.toString(), "--impute", "mean", "--test", rows.toString(),
                "--epochs", "1", "--no-plot");
        assertEquals(2, test.code());
        assertTrue(test.err().contains("--test: " + rows + ":5:3: 'Rome'"), test.err());
    }

    @Test
    void badColumnFlagsAreOneLine() {
        assertEquals("descent train: --categorical: 'colour,,size' names an empty column",
                run("train", "--data", train.toString(), "--categorical", "colour,,size").err().strip());
        assertEquals("descent train: --impute: 'mode' is not mean or median",
                run("train", "--data", train.toString(), "--impute", "mode").err().strip());
        assertEquals("descent train: --min-category-count: '0' must be at least 1",
                run("train", "--data", train.toString(), "--min-category-count", "0").err().strip());
        assertEquals("descent train: --unknown-category: 'skip' is not error or ignore",
                run("train", "--data", train.toString(), "--unknown-category", "skip").err().strip());
        assertTrue(run("train", "--data", train.toString(), "--categorical", "town").err()
                .contains("no column 'town' to read as categories"));
        assertEquals("descent predict: --impute: the model fixes how its columns are read; leave it out",
                run("predict", "--model", model.toString(), "--data", test.toString(), "--impute", "mean").err().strip());
        Result missing = run("train", "--data", train.toString(), "--no-plot", "--epochs", "1");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("missing values"), missing.err());
    }
}
