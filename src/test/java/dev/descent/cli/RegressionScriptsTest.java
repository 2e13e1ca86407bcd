package dev.descent.cli;

import static dev.descent.cli.CsvFlagsTest.withStandardInput;
import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.modelfile.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 15) through what issue 12, 13 and 14 built around it: the FastCSV reader's
 * delimiters, left-out columns, missing values and standard input; train and evaluate --json;
 * predict to standard output; summary; the doctor.
 */
class RegressionScriptsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path train, test;

    @BeforeEach
    void data() throws Exception {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        RegressionCommandTest.write(train, 400, 1);
        RegressionCommandTest.write(test, 100, 2);
    }

    /** y = 3a − 2b + 100 and z = a·b as a semicolon file with an id column first and quoted names. */
    static String semicolons(int rows, String extraRow) {
        Random rng = new Random(5);
        StringBuilder sb = new StringBuilder("\"id\";\"a\";\"b\";\"y\";\"z\"\n");
        for (int i = 0; i < rows; i++) {
            double a = rng.nextGaussian(), b = rng.nextGaussian();
            sb.append(String.format(Locale.ROOT, "%d;%.6f;%.6f;%.6f;%.6f%n", i + 1, a, b, 3 * a - 2 * b + 100, a * b));
        }
        return sb.append(extraRow).toString();
    }

    @Test
    void targetsAreReadByTheCsvReaderFromStandardInputWithItsFlags() {
        Result r = withStandardInput(semicolons(60, "61;1.0;2.0;NA;0.5\n"), "train", "--data", "-", "--task",
                "regression", "--label", "y,z", "--ignore", "id", "--drop-missing", "--epochs", "2", "--no-plot");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("standard input, semicolon-separated (detected), without id, 1 row with missing "
                + "values left out (60 samples x 2 features, 2 targets)"), r.out());
        assertTrue(r.out().contains("network    2 -> 128 relu -> 2 linear"), r.out());
        assertTrue(r.out().contains("             linear        2"), r.out());
    }

    @Test
    void aTargetColumnNameMayHoldTheCommaThatSeparatesTargets() throws Exception {
        Path f = Files.writeString(dir.resolve("comma.csv"), "a,\"price, euros\"\n1,10\n2,20\n3,30\n4,40\n");
        Result r = run("train", "--data", f.toString(), "--task", "regression", "--label", "price, euros", "--epochs",
                "2", "--no-plot", "--quiet");
        assertEquals(0, r.code(), r.err() + r.out());
    }

    @Test
    void trainAndEvaluateJsonGiveEachTargetsNumbers() throws Exception {
        Path model = dir.resolve("m.json");
        Result r = run("train", "--data", train.toString(), "--test", test.toString(), "--task", "regression",
                "--label", "y,z", "--standardize-targets", "--optimizer", "adam", "--lr", "0.01", "--layers", "16",
                "--epochs", "30", "--batch", "32", "--no-plot", "--save", model.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals("regression", s.get("task").asText());
        assertEquals("2 -> 16 relu -> 2 linear", s.get("network").asText());
        assertFalse(s.has("finalAccuracy") || s.has("testAccuracy"), r.out());
        assertEquals(List.of("y", "z"), names(s.get("test")));
        assertTrue(s.get("test").get(0).get("r2").asDouble() > 0.9, r.out());

        Result e = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--label", "y,z",
                "--no-plot", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode ev = JSON.readTree(e.out());
        assertEquals(100, ev.get("samples").asInt());
        assertEquals(List.of("y", "z"), names(ev.get("targets")));
        assertEquals(s.get("test").get(0).get("mse").asDouble(), ev.get("targets").get(0).get("mse").asDouble(), 1e-9);
        assertTrue(ev.get("plot").isNull(), e.out());
    }

    static List<String> names(JsonNode targets) {
        List<String> n = new ArrayList<>();
        targets.forEach(t -> n.add(t.get("target").asText()));
        return n;
    }

    @Test
    void predictReadsRowsWithOrWithoutTheTargetsFromStandardInputToStandardOutput() throws Exception {
        Path model = dir.resolve("m.json");
        assertEquals(0, run("train", "--data", train.toString(), "--task", "regression", "--label", "y,z",
                "--standardize-targets", "--optimizer", "adam", "--lr", "0.01", "--epochs", "2", "--no-plot", "--quiet",
                "--save", model.toString()).code());
        List<String> lines = Files.readAllLines(test);
        Result withTargets = withStandardInput(String.join("\n", lines) + "\n", "predict", "--model", model.toString(),
                "--data", "-", "--label", "y,z", "--out", "-");
        assertEquals(0, withTargets.code(), withTargets.err());
        List<String> out = withTargets.out().lines().toList();
        assertEquals("row,y,z", out.get(0));
        assertEquals(101, out.size());

        StringBuilder featuresOnly = new StringBuilder("a,b\n");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            featuresOnly.append(c[0]).append(',').append(c[2]).append('\n');
        }
        Result without = withStandardInput(featuresOnly.toString(), "predict", "--model", model.toString(), "--data",
                "-");
        assertEquals(0, without.code(), without.err());
        assertEquals(withTargets.out(), without.out(), "the same rows, the same predictions");

        StringBuilder oneTarget = new StringBuilder("a,y,b\n");
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            oneTarget.append(c[0]).append(',').append(c[1]).append(',').append(c[2]).append('\n');
        }
        Result partial = withStandardInput(oneTarget.toString(), "predict", "--model", model.toString(), "--data", "-");
        assertEquals(2, partial.code(), partial.out());
        assertTrue(partial.err().contains("3 columns, but the model takes 2 features (give 2 columns, or 4 with its 2 "
                + "targets named by --label)"), partial.err());

        Result unnamed = run("predict", "--model", model.toString(), "--data", test.toString());
        assertEquals(2, unnamed.code(), unnamed.out());
        assertTrue(unnamed.err().contains("with its 2 targets named by --label"), unnamed.err());
    }

    @Test
    void summaryNamesTheTargetsAndTheLinearOutput() throws Exception {
        Path model = dir.resolve("m.json");
        assertEquals(0, run("train", "--data", train.toString(), "--task", "regression", "--label", "y",
                "--standardize-targets", "--optimizer", "adam", "--lr", "0.01", "--epochs", "2", "--no-plot", "--quiet",
                "--save", model.toString()).code());
        assertTrue(ModelFile.read(model).isRegression());
        Result s = run("summary", "--model", model.toString());
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("  targets    y\n"), s.out());
        assertTrue(s.out().contains("  linear        1"), s.out());
        assertTrue(s.out().contains("  output     linear, in standardised units"), s.out());
        assertFalse(s.out().contains("softmax"), s.out());
    }

    @Test
    void theDoctorWatchesARegressionRunAndFindsItHealthy() {
        Result r = run("doctor", "--data", train.toString(), "--task", "regression", "--label", "y",
                "--standardize-targets", "--optimizer", "adam", "--lr", "0.01", "--layers", "16", "--epochs", "20",
                "--batch", "32");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("healthy: the loss fell from"), r.out());
        assertFalse(r.out().contains("accuracy"), r.out());
    }

    @Test
    void theDoctorComparesARegressionRunWithPredictingTheMean() throws Exception {
        Random rng = new Random(9);
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 400; i++) { // y does not depend on a or b
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", rng.nextGaussian(), rng.nextGaussian(),
                    5 + 2 * rng.nextGaussian()));
        }
        Path noise = Files.writeString(dir.resolve("noise.csv"), sb.toString());
        Result r = run("doctor", "--data", noise.toString(), "--task", "regression", "--validation-split", "0.25",
                "--layers", "16", "--epochs", "30", "--json");
        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode d = JSON.readTree(r.out());
        List<String> kinds = new ArrayList<>();
        d.get("findings").forEach(f -> kinds.add(f.get("kind").asText()));
        // One cause, one problem: the plateau, with the validation rows' comparison as its evidence.
        assertEquals(List.of("plateau"), kinds, r.out());
        assertFalse(kinds.contains("label_not_classes") || kinds.contains("class_imbalance")
                || kinds.contains("loss_at_init"), r.out());
        String evidence = d.get("findings").get(0).get("evidence").toString();
        assertTrue(evidence.contains("predicting the targets' mean for every sample gives a loss of"), r.out());
        assertTrue(evidence.contains("validation loss 5.130 per sample; predicting the training targets' mean gives a "
                + "loss of 4.614 per sample (R² = 0)"), r.out());
    }

    @Test
    void theDoctorTakesTheScheduleWeightDecayAndDropout() {
        Result r = run("doctor", "--data", train.toString(), "--task", "regression", "--label", "y",
                "--standardize-targets", "--optimizer", "adam", "--lr", "0.01", "--layers", "16", "--epochs", "10",
                "--batch", "32", "--lr-schedule", "cosine", "--warmup-epochs", "2", "--weight-decay", "0.001",
                "--dropout", "0.1");
        assertTrue(r.code() == 0 || r.code() == 1, r.out() + r.err());
        assertTrue(r.out().contains("schedule   cosine to 0 over 10 epochs, after 2 epochs of linear warm-up"), r.out());
        assertTrue(r.out().contains("weight decay 0.001 (decoupled, AdamW)"), r.out());
        assertTrue(r.out().contains("3 -> 16 relu dropout 0.1 -> 1 linear"), r.out());
        assertTrue(r.out().contains("verdict:"), r.out());
    }
}
