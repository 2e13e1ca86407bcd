package dev.descent.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.cli.Main;
import dev.descent.data.CsvDataset;
import dev.descent.data.Dataset;
import dev.descent.modelfile.ModelFile;
import dev.descent.network.Network;
import dev.descent.train.History;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run is defined once: a Java program's recipe trains exactly what {@code descent train} does with the same flags. */
class RecipeTest {
    @TempDir
    Path dir;

    @Test
    void aJavaProgramOnTheRecipeGetsExactlyTheParametersAndHistoryOfDescentTrain() throws Exception {
        Path csv = blobs(dir.resolve("blobs.csv"), 300);
        Path model = dir.resolve("m.json"), history = dir.resolve("h.csv");
        String[] args = {"train", "--data", csv.toString(), "--layers", "16,8", "--optimizer", "adam", "--lr", "0.01",
            "--batch", "32", "--epochs", "3", "--weight-decay", "0.001", "--lr-schedule", "cosine", "--seed", "7",
            "--save", model.toString(), "--history", history.toString(), "--no-plot", "--quiet"};
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err)), err.toString());

        Dataset data = CsvDataset.read(csv, new CsvDataset.Options(true, null, null, List.of(), false), null);
        Recipe recipe = Recipe.forData().withLayers(16, 8).withOptimizer("adam").withLearningRate(0.01).withBatch(32)
                .withEpochs(3).withWeightDecay(0.001).withSchedule("cosine").withSeed(7);
        Network network = recipe.network(data);
        History h = recipe.trainer(data).fit(network, data);

        Network cli = ModelFile.read(model).network();
        for (int i = 0; i < network.parameters().size(); i++) {
            assertArrayEquals(cli.parameters().get(i).value().data(), network.parameters().get(i).value().data(),
                    network.parameters().get(i).name());
        }
        List<String> lines = Files.readAllLines(history);
        assertEquals(h.rows().size() + 1, lines.size());
        for (History.Row row : h.rows()) {
            String[] cells = lines.get(row.epoch() + 1).split(",");
            assertEquals(Double.parseDouble(cells[1]), row.loss(), 0.0, "loss of epoch " + row.epoch());
            assertEquals(Double.parseDouble(cells[2]), row.accuracy(), 0.0, "accuracy of epoch " + row.epoch());
        }
    }

    @Test
    void theModelFileSaysHowTheRecipeMadeIt() throws Exception {
        Path csv = blobs(dir.resolve("blobs.csv"), 60), model = dir.resolve("m.json");
        String[] args = {"train", "--data", csv.toString(), "--optimizer", "momentum", "--momentum", "0.8",
            "--batch", "full", "--epochs", "2", "--lr-schedule", "step", "--lr-gamma", "0.5", "--save", model.toString(),
            "--no-plot", "--quiet"};
        assertEquals(0, Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
        Recipe recipe = Recipe.forData().withOptimizer("momentum").withMomentum(0.8)
                .withBatch(dev.descent.train.Trainer.FULL_BATCH).withEpochs(2).withSchedule("step").withGamma(0.5);
        Map<String, Object> training = ModelFile.read(model).training();
        recipe.provenance().forEach((key, value) -> assertEquals(String.valueOf(value), String.valueOf(training.get(key)),
                key));
        assertEquals("full", training.get("batch"));
        assertEquals(0.8, training.get("momentum"));
        assertEquals("float32", training.get("dtype"));
    }

    @Test
    void presetsHoldTheDefaultsAndSettingsAreChecked() {
        Recipe seed = Recipe.seedExample(), data = Recipe.forData();
        assertEquals(List.of(20), seed.hidden());
        assertEquals(Defaults.SEED_LR, seed.learningRate());
        assertEquals(dev.descent.loss.Reduction.SUM, seed.reduction());
        assertEquals(List.of(128), data.hidden());
        assertEquals(Defaults.DATA_LR, data.learningRate());
        assertEquals(0.001, data.withOptimizer("adam").learningRate(), "adam's own default unless a rate is set");
        assertEquals(0.05, data.withLearningRate(0.05).withOptimizer("adam").learningRate());
        assertEquals(2, data.withSeed(1).shuffleSeed());
        assertEquals(List.of(128), data.withLayers(64).withLayers(128).hidden(), "each with… is a new recipe");
        assertEquals(List.of(128), data.hidden(), "the preset is unchanged");
        assertEquals("the learning rate must be positive and finite, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> data.withLearningRate(-1)).getMessage());
        assertEquals("unknown optimizer 'adagrad': expected one of sgd, momentum, adam",
                assertThrows(IllegalArgumentException.class, () -> data.withOptimizer("adagrad")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> data.withWarmup(10).schedule(), "warm-up as long as the run");
    }

    /** Three Gaussian blobs in four features, labels a, b, c. */
    private static Path blobs(Path file, int n) throws Exception {
        Random rng = new Random(5);
        List<String> lines = new ArrayList<>(List.of("f1,f2,f3,f4,label"));
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 4; j++) {
                row.append(rng.nextGaussian() + (j == c ? 3.0 : 0)).append(',');
            }
            lines.add(row.append("abc".charAt(c)).toString());
        }
        return Files.write(file, lines);
    }
}
