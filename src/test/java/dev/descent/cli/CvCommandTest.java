package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.doctor.Scenarios;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** descent cv: folds, their table and JSON, a grid ranked, the best saved, and its refusals. */
class CvCommandTest {
    @TempDir
    Path dir;

    private Path blobs() {
        return Scenarios.blobs(240, 4, 3, 2, 5).write(dir.resolve("blobs.csv"));
    }

    private static JsonNode json(Result r) throws Exception {
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void eachFoldsFiguresThenTheirMeanAndDeviation() throws Exception {
        Path data = blobs();
        Result r = run("cv", "--data", data.toString(), "--folds", "4", "--layers", "8", "--epochs", "5",
                "--batch", "16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("folds      4 (stratified by class, seed 1)"), r.out());
        for (String row : List.of("1.1", "1.2", "1.3", "1.4", "mean", "sd")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(row + " ")), row + " in " + r.out());
        }
        assertTrue(r.out().contains("balanced-accuracy") && r.out().contains("f1-macro"), r.out());
        assertFalse(r.out().contains("auc"), "three classes have no ROC AUC");

        JsonNode j = json(run("cv", "--data", data.toString(), "--folds", "4", "--repeat", "2", "--layers", "8",
                "--epochs", "5", "--batch", "16", "--json"));
        JsonNode c = j.get("candidates").get(0);
        assertEquals(8, c.get("folds").size(), "4 folds, twice");
        double sum = 0;
        int rows = 0;
        for (JsonNode f : c.get("folds")) {
            sum += f.get("accuracy").asDouble();
            rows += f.get("testRows").asInt();
        }
        assertEquals(480, rows, "every row held out once in each repeat");
        assertEquals(sum / 8, c.get("mean").get("accuracy").asDouble(), 1e-12);
        assertTrue(c.get("std").get("accuracy").asDouble() >= 0);
    }

    /** Folds side by side give the numbers folds one after the other give: every fold is its own run. */
    @Test
    void foldsInParallelGiveTheSameNumbers() throws Exception {
        Path data = blobs();
        String[] args = {"cv", "--data", data.toString(), "--folds", "3", "--layers", "8", "--epochs", "4", "--batch",
            "16", "--standardize", "--json", "--parallel-folds"};
        JsonNode a = json(run(concat(args, "yes"))), b = json(run(concat(args, "no")));
        assertEquals(a.get("candidates"), b.get("candidates"));
    }

    @Test
    void aGridIsRankedAndTheBestTrainedOnEverything() throws Exception {
        Path data = blobs(), model = dir.resolve("best.json"), folds = dir.resolve("folds.csv");
        Result r = run("cv", "--data", data.toString(), "--folds", "3", "--layers", "4,16-8", "--lr", "0.5,0.001",
                "--epochs", "8", "--batch", "16", "--metric", "f1-macro", "--save", model.toString(), "--save-folds",
                folds.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("4 combinations of --layers, --lr, ranked by f1-macro"), r.out());
        assertTrue(r.out().contains("rank  f1-macro (mean ± sd)"), r.out());
        assertTrue(r.out().contains("--layers 16-8, --lr 0.5") && r.out().contains("--layers 4, --lr 0.001"), r.out());
        Model m = ModelFile.read(model);
        assertTrue(((String) m.training().get("crossValidation")).startsWith("3 folds x 1, f1-macro "));
        assertEquals("240", String.valueOf(m.training().get("data")).replaceAll(".*\\((\\d+) samples.*", "$1"));
        List<String> lines = Files.readAllLines(folds);
        assertEquals("row,repeat,fold", lines.get(0));
        assertEquals(241, lines.size());
    }

    @Test
    void badFoldsAndMetricsAreOneLine() {
        Path data = blobs();
        assertEquals("descent cv: --folds: '1' must be at least 2: one fold to train on and one to test",
                run("cv", "--data", data.toString(), "--folds", "1").err().strip());
        Path rare = Scenarios.imbalanced(100, 2, 0.04, 2.0, 1).write(dir.resolve("rare.csv"));
        Result tooMany = run("cv", "--data", rare.toString(), "--folds", "10");
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().matches("descent cv: --folds: '10' is more than the \\d rows of the smallest class, "
                + "'rare': every fold needs at least one row of each class; give --folds \\d or fewer\\s*"),
                tooMany.err());
        assertTrue(run("cv", "--data", data.toString(), "--metric", "auc").err()
                .contains("--metric: 'auc' is for two classes; this data has 3"));
        assertTrue(run("cv", "--data", data.toString(), "--epoch", "3").err().contains("did you mean --epochs?"));
        assertTrue(run("cv", "--data", data.toString(), "--test", data.toString()).err()
                .contains("--test: cross-validation scores each fold on the rows it leaves out"));
    }

    /** Text columns: each fold's encoding is fitted on its own training rows. */
    @Test
    void categoriesAreEncodedFoldByFold() throws Exception {
        Path data = dir.resolve("cat.csv");
        Files.writeString(data, CategoricalCommandTest.table(300, 4, null));
        JsonNode j = json(run("cv", "--data", data.toString(), "--folds", "3", "--impute", "mean", "--standardize",
                "--layers", "16", "--optimizer", "adam", "--lr", "0.01", "--epochs", "20", "--batch", "16", "--json"));
        assertTrue(j.get("candidates").get(0).get("mean").get("accuracy").asDouble() > 0.8, j.toString());
        assertTrue(j.get("candidates").get(0).get("mean").has("auc"), "two classes: ROC AUC");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
