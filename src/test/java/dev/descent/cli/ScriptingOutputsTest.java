package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.report.LossPlot;
import dev.descent.train.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What scripts read: train --json, evaluate --json, predict to standard output, and a run's files as it goes. */
class ScriptingOutputsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path model() throws Exception {
        Path train = dir.resolve("train.csv"), model = dir.resolve("m.json");
        EvaluatePredictTest.writeCsv(train, 90, 1, true);
        Result r = run("train", "--data", train.toString(), "--standardize", "--layers", "8", "--epochs", "20",
                "--batch", "16", "--no-plot", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        return model;
    }

    @Test
    void trainJsonIsTheOnlyThingOnStandardOutputAndAgreesWithTheHistory() throws Exception {
        Path history = dir.resolve("h.csv");
        Result r = run("train", "--json", "--no-plot", "--history", history.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = JSON.readTree(r.out());
        assertTrue(r.err().contains("Descent 0.1.0: training"), r.err());
        assertEquals(100, s.get("epochs").asInt());
        assertEquals(330, s.get("parameters").asInt());
        List<String> lines = Files.readAllLines(history);
        String last = lines.get(lines.size() - 1);
        assertEquals(Double.parseDouble(last.split(",")[1]), s.get("finalLoss").asDouble(), 0.0);
        assertEquals(0.8, s.get("maxAccuracy").asDouble(), 0.0);
        assertEquals(history.toString(), s.get("files").get("history").asText());
        assertFalse(s.get("diverged").asBoolean());
    }

    @Test
    void evaluateJsonHasLossAccuracyPerClassScoresAndTheMatrix() throws Exception {
        Path model = model(), test = dir.resolve("test.csv");
        EvaluatePredictTest.writeCsv(test, 60, 2, true);
        Result text = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--no-plot");
        Result r = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--no-plot", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode e = JSON.readTree(r.out());
        assertEquals(60, e.get("samples").asInt());
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.2f%% (%d of 60)",
                100 * e.get("accuracy").asDouble(), e.get("correct").asInt())), text.out() + r.out());
        JsonNode classes = e.get("classes"), confusion = e.get("confusion");
        assertEquals(3, classes.size());
        long total = 0;
        for (int t = 0; t < 3; t++) {
            JsonNode k = classes.get(t);
            long support = 0;
            for (JsonNode v : confusion.get(t)) {
                support += v.asLong();
            }
            total += support;
            assertEquals(support, k.get("support").asLong());
            assertEquals(confusion.get(t).get(t).asDouble() / support, k.get("recall").asDouble(), 1e-12);
            double p = k.get("precision").asDouble(), rec = k.get("recall").asDouble();
            assertEquals(2 * p * rec / (p + rec), k.get("f1").asDouble(), 1e-12);
        }
        assertEquals(60, total);
        assertEquals("setosa", classes.get(0).get("class").asText());
    }

    @Test
    void predictWritesToStandardOutputForADash() throws Exception {
        Path model = model(), rows = dir.resolve("rows.csv");
        EvaluatePredictTest.writeCsv(rows, 4, 5, false);
        Result r = run("predict", "--model", model.toString(), "--data", rows.toString(), "--out", "-");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("row,class,p_setosa,p_versicolor,p_virginica\n1,"), r.out());
        assertEquals(5, r.out().lines().count());
        assertFalse(Files.exists(Path.of("-")));
    }

    @Test
    void theHistoryGrowsAndThePlotIsRedrawnWhileTrainingRuns() throws Exception {
        Path history = dir.resolve("h.csv"), png = dir.resolve("loss.png");
        LiveOutputs live = new LiveOutputs(history, new LossPlot("t", "loss", false), png, List.of(), 0,
                p -> Files.newBufferedWriter(p));
        live.onStart(null, 3, new History.Row(0, 2.0, 0.1, Double.NaN, Double.NaN, 0));
        assertEquals(List.of("epoch,loss,accuracy", "0,2.0,0.1"), Files.readAllLines(history));
        assertFalse(Files.exists(png));
        live.onEpoch(new History.Row(1, 1.5, 0.5, Double.NaN, Double.NaN, 0.1));
        assertEquals(List.of("epoch,loss,accuracy", "0,2.0,0.1", "1,1.5,0.5"), Files.readAllLines(history));
        assertTrue(Files.size(png) > 0, "redrawn after the epoch");
        live.onEnd(null);
    }
}
