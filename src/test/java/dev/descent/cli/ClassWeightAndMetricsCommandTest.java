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
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --class-weight through train, the model file and evaluate; evaluate's new figures, --roc and --top-k. */
class ClassWeightAndMetricsCommandTest {
    @TempDir
    Path dir;

    private JsonNode evaluate(Path model, Path data, String... more) throws Exception {
        String[] args = new String[] {"evaluate", "--model", model.toString(), "--data", data.toString(), "--json",
            "--no-plot"};
        Result r = run(java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private static double recall(JsonNode e, String cls) {
        for (JsonNode c : e.get("classes")) {
            if (c.get("class").asText().equals(cls)) {
                return c.get("recall").asDouble();
            }
        }
        throw new AssertionError(cls);
    }

    /** On 95/5 classes that overlap, balanced weights find the rare class that the plain loss leaves unrecalled. */
    @Test
    void balancedWeightsRaiseTheRareClassesRecall() throws Exception {
        Path train = Scenarios.imbalanced(2000, 4, 0.05, 2.0, 3).write(dir.resolve("train.csv"));
        Path test = Scenarios.imbalanced(2000, 4, 0.05, 2.0, 4).write(dir.resolve("test.csv"));
        Path plain = dir.resolve("plain.json"), weighted = dir.resolve("weighted.json");
        String[] common = {"train", "--data", train.toString(), "--layers", "16", "--epochs", "20", "--no-plot",
            "--optimizer", "adam", "--lr", "0.01", "--standardize"};
        assertEquals(0, run(concat(common, "--save", plain.toString())).code());
        Result r = run(concat(common, "--class-weight", "balanced", "--save", weighted.toString(), "--test",
                test.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("class weights balanced (common 0.52"), r.out());
        assertTrue(r.out().contains("the classes are weighted: accuracy (always predicting 'common' would get"), r.out());
        assertFalse(r.out().contains("nothing learned"), "weights give up accuracy on purpose: " + r.out());
        assertTrue(r.out().matches("(?s).*balanced accuracy \\d+\\.\\d%, macro F1 .*ROC AUC 0\\.\\d{4} \\('rare' positive\\).*"),
                r.out());
        Model m = ModelFile.read(weighted);
        assertEquals("balanced", m.training().get("classWeight"));
        assertTrue(((String) m.training().get("classWeights")).startsWith("common=0.52"), m.training().toString());
        assertFalse(ModelFile.read(plain).training().containsKey("classWeight"), "an unweighted file is unchanged");

        JsonNode before = evaluate(plain, test), after = evaluate(weighted, test);
        assertTrue(recall(after, "rare") > recall(before, "rare") + 0.3,
                recall(before, "rare") + " -> " + recall(after, "rare"));
        assertTrue(after.get("balancedAccuracy").asDouble() > before.get("balancedAccuracy").asDouble());
        assertTrue(after.get("auc").asDouble() > 0.8, after.toString());
        assertTrue(after.get("macro").get("f1").isNumber());
    }

    @Test
    void badWeightsAreOneLine() throws Exception {
        Path train = Scenarios.imbalanced(200, 2, 0.2, 2.0, 3).write(dir.resolve("t.csv"));
        Result unknown = run("train", "--data", train.toString(), "--class-weight", "rarest=3", "--no-plot");
        assertEquals(2, unknown.code());
        assertEquals("descent train: --class-weight: no class 'rarest' in the training data; its classes are common, rare",
                unknown.err().strip());
        Result empty = run("train", "--data", train.toString(), "--class-weight", "=3", "--no-plot");
        assertEquals("descent train: --class-weight: '=3' has an empty class name", empty.err().strip());
        Result regression = run("train", "--data", train.toString(), "--task", "regression", "--label", "x1",
                "--class-weight", "balanced", "--no-plot");
        assertEquals(2, regression.code());
        assertTrue(regression.err().contains("--class-weight: a regression run has no classes"), regression.err());
    }

    @Test
    void evaluateDrawsTheRocCurveAndRanksTopK() throws Exception {
        Path train = Scenarios.imbalanced(400, 3, 0.3, 2.0, 5).write(dir.resolve("train.csv"));
        Path model = dir.resolve("m.json"), roc = dir.resolve("roc.png");
        assertEquals(0, run("train", "--data", train.toString(), "--epochs", "5", "--no-plot", "--save",
                model.toString()).code());
        Result r = run("evaluate", "--model", model.toString(), "--data", train.toString(), "--roc", roc.toString(),
                "--top-k", "1", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top-1 accuracy"), r.out());
        assertTrue(r.out().contains("ROC curve picture: " + roc), r.out());
        BufferedImage image = ImageIO.read(roc.toFile());
        assertTrue(image.getWidth() > 100);
        JsonNode json = evaluate(model, train, "--top-k", "2");
        assertEquals(1.0, json.get("topK").get("accuracy").asDouble(), "every true class is among two");
        assertEquals(2, run("evaluate", "--model", model.toString(), "--data", train.toString(), "--top-k", "3")
                .code());
        Result zero = run("evaluate", "--model", model.toString(), "--data", train.toString(), "--top-k", "0");
        assertEquals("descent evaluate: --top-k: '0' must be at least 1", zero.err().strip());
        Result seed = run("train", "--save", dir.resolve("seed.json").toString(), "--no-plot", "--quiet");
        assertEquals(0, seed.code());
        Result three = run("evaluate", "--model", dir.resolve("seed.json").toString(), "--roc",
                dir.resolve("r.png").toString());
        assertEquals(2, three.code());
        assertTrue(three.err().contains("has 10 classes; a ROC curve is drawn for two"), three.err());
        assertFalse(Files.exists(dir.resolve("r.png")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
