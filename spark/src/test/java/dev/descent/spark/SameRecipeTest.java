package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.modelfile.ModelFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimator trains the library's recipe: the model file of a Spark fit and that of
 * {@code descent train} with the same settings on the same rows say the same of how they were
 * made, entry for entry, but for where the data came from and what only a distributed run has.
 */
class SameRecipeTest {
    /** Where the rows came from: a DataFrame or a file, fingerprinted each its own way. */
    static final Set<String> DATA = Set.of("data", "dataFingerprint");
    /** What only a distributed run has. */
    static final Set<String> DISTRIBUTED = Set.of("trainer");
    /** How the run went: the same to rounding (one partition averaging once per epoch is the library's trainer). */
    static final Set<String> RESULTS = Set.of("finalLoss", "finalAccuracy");

    @Test
    void aSparkModelAndACommandLineModelOfTheSameRecipeHaveTheSameTrainingEntries(@TempDir Path dir) throws Exception {
        Dataset<Row> df = TestSpark.blobs(200, 4, 3, 1, 5);
        sameEntries(dir, df, 4, new DescentClassifier().setLayers(8), List.of("--layers", "8"));
    }

    /** The same for a network of images: the layers and the image shape go through the recipe as on the command line. */
    @Test
    void aConvolutionalNetworkIsTheSameRecipeToo(@TempDir Path dir) throws Exception {
        Dataset<Row> df = TestSpark.blobs(200, 16, 3, 1, 5);
        DescentClassificationModel model = sameEntries(dir, df, 16, new DescentClassifier()
                .setLayerSpec("conv3k3p1,pool2,avgpool2s1,8").setInputShape(1, 4, 4),
                List.of("--layers", "conv3k3p1,pool2,avgpool2s1,8", "--input-shape", "1,4,4"));
        assertEquals(new dev.descent.layers.Shape(1, 4, 4), ModelFile.read(dir.resolve("spark")
                .resolve(DescentClassificationModel.MODEL_FILE)).network().inputShape());
        assertEquals(200, model.transform(df).count());
    }

    private static DescentClassificationModel sameEntries(Path dir, Dataset<Row> df, int cols,
                                                          DescentClassifier classifier, List<String> layers)
            throws Exception {
        DescentClassificationModel model = classifier.setOptimizer("adam").setLearningRate(0.01).setBatchSize(32)
                .setEpochs(3).setSeed(9).setDtype("float64").setTrainingMode("averaged").setNumPartitions(1).fit(df);
        model.write().save(dir.resolve("spark").toString());
        Map<String, Object> spark = ModelFile.read(dir.resolve("spark").resolve(DescentClassificationModel.MODEL_FILE))
                .training();

        Path csv = dir.resolve("blobs.csv");
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            text.append('f').append(c + 1).append(',');
        }
        text.append("label\n");
        Rows rows = TestSpark.blocks(df, 3, 1, 9).collect().get(0).train(); // the fit's one block, in its order
        double[] x = rows.features().toMatrix().data();
        for (int r = 0; r < rows.count(); r++) {
            for (int c = 0; c < cols; c++) {
                text.append(x[r * cols + c]).append(',');
            }
            text.append(rows.labels()[r]).append('\n');
        }
        Files.writeString(csv, text, StandardCharsets.UTF_8);
        Path saved = dir.resolve("cli.json");
        List<String> args = new java.util.ArrayList<>(List.of("--data", csv.toString(), "--optimizer", "adam", "--lr",
                "0.01", "--batch", "32", "--epochs", "3", "--seed", "9", "--dtype", "float64", "--save", saved.toString(),
                "--no-plot", "--quiet"));
        args.addAll(layers);
        train(args);
        Map<String, Object> cli = ModelFile.read(saved).training();

        Set<String> sparkKeys = new TreeSet<>(spark.keySet());
        sparkKeys.removeAll(DISTRIBUTED);
        assertEquals(new TreeSet<>(cli.keySet()), sparkKeys);
        for (String key : cli.keySet()) {
            if (RESULTS.contains(key)) {
                assertEquals(((Number) cli.get(key)).doubleValue(), ((Number) spark.get(key)).doubleValue(), 1e-12, key);
            } else if (!DATA.contains(key)) {
                assertEquals(cli.get(key), spark.get(key), key);
            }
        }
        return model;
    }

    /** Runs {@code descent train} from the command-line jar, as a process. */
    private static void train(List<String> args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-jar", System.getProperty("descent.cli.jar"), "train"));
        command.addAll(args);
        Process descent = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(descent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        descent.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, descent.exitValue(), out);
    }
}
