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

    /** The same seed, the same folds and figures; another seed, other folds. */
    @Test
    void theSeedMakesItReproducible() throws Exception {
        Path data = blobs(), a = dir.resolve("a.csv"), b = dir.resolve("b.csv"), c = dir.resolve("c.csv");
        String[] args = {"cv", "--data", data.toString(), "--folds", "3", "--layers", "8", "--epochs", "3", "--batch",
            "16", "--json", "--save-folds"};
        JsonNode first = json(run(concat(args, a.toString()))), again = json(run(concat(args, b.toString())));
        assertEquals(first.get("candidates"), again.get("candidates"));
        assertEquals(Files.readAllLines(a), Files.readAllLines(b));
        json(run(concat(args, c.toString(), "--seed", "2")));
        assertFalse(Files.readAllLines(a).equals(Files.readAllLines(c)), "seed 2 deals other folds");
    }

    /** The folds --save-folds writes are the ones scored: each holds every class in its share, and its row count. */
    @Test
    void theFoldsAreStratified() throws Exception {
        Path data = Scenarios.imbalanced(200, 2, 0.1, 2.0, 3).write(dir.resolve("tenth.csv"));
        Path folds = dir.resolve("folds.csv");
        JsonNode j = json(run("cv", "--data", data.toString(), "--folds", "4", "--layers", "4", "--epochs", "2",
                "--json", "--save-folds", folds.toString()));
        List<String> rows = Files.readAllLines(data), assigned = Files.readAllLines(folds);
        int[] size = new int[4], rareIn = new int[4];
        int rareRows = 0;
        for (String line : assigned.subList(1, assigned.size())) {
            String[] f = line.split(",");
            int row = Integer.parseInt(f[0]), fold = Integer.parseInt(f[2]) - 1;
            size[fold]++;
            boolean isRare = rows.get(row).endsWith(",rare");
            rareIn[fold] += isRare ? 1 : 0;
            rareRows += isRare ? 1 : 0;
        }
        for (int f = 0; f < 4; f++) {
            assertEquals(size[f], j.get("candidates").get(0).get("folds").get(f).get("testRows").asInt());
            assertTrue(Math.abs(rareIn[f] - rareRows / 4.0) <= 1, "fold " + f + ": " + rareIn[f] + " of " + rareRows);
        }
        assertTrue(rareRows >= 8, "the set has rare rows to deal: " + rareRows);
    }

    @Test
    void aMetricMustExistAndFitTheTask() {
        Path data = blobs();
        Result unknown = run("cv", "--data", data.toString(), "--metric", "precision");
        assertEquals(2, unknown.code());
        assertEquals("descent cv: --metric: 'precision' is not one of accuracy, balanced-accuracy, f1-macro, "
                + "f1-weighted, precision-macro, recall-macro, auc, log-loss", unknown.err().lines().findFirst()
                .orElseThrow());
        assertTrue(run("cv", "--data", data.toString(), "--metric", "r2").err()
                .contains("--metric: 'r2' is a regression figure; this data's are accuracy,"));
        assertTrue(run("cv", "--data", data.toString(), "--folds", "3", "--lr", "0.1,,0.2").err()
                .contains("--lr: '0.1,,0.2' has an empty alternative"));
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
