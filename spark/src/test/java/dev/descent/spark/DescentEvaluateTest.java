package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.tensor.Matrix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained on Spark is a Descent model file like any other: the plain library reads it
 * and predicts what Spark predicts, and {@code descent evaluate} (the command-line jar, run as a
 * process) scores it as Spark does.
 */
class DescentEvaluateTest {
    @Test
    void aSparkModelLoadsInTheLibraryAndInDescentEvaluate(@TempDir Path dir) throws Exception {
        Dataset<Row> train = TestSpark.blobs(400, 4, 3, 2, 21), test = TestSpark.blobs(90, 4, 3, 2, 22);
        DescentClassificationModel model = new DescentClassifier().setLayers(12).setLearningRate(0.1)
                .setBatchSize(25).setEpochs(4).fit(train);
        model.write().save(dir.resolve("model").toString());
        Path file = dir.resolve("model").resolve(DescentClassificationModel.MODEL_FILE);

        List<Row> rows = model.transform(test).select("features", "label", "probability", "prediction").collectAsList();
        Model library = ModelFile.read(file);
        Matrix x = new Matrix(rows.size(), 4);
        StringBuilder csv = new StringBuilder("f1,f2,f3,f4,label\n");
        int right = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] f = ((Vector) rows.get(i).get(0)).toArray();
            System.arraycopy(f, 0, x.data(), 4 * i, 4);
            for (double v : f) {
                csv.append(v).append(',');
            }
            csv.append((int) rows.get(i).getDouble(1)).append('\n');
            right += rows.get(i).getDouble(3) == rows.get(i).getDouble(1) ? 1 : 0;
        }
        Matrix p = library.predictProbabilities(x);
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(((Vector) rows.get(i).get(2)).toArray(), p.row(i), "row " + i);
        }

        Path data = dir.resolve("test.csv");
        Files.writeString(data, csv, StandardCharsets.UTF_8);
        Process descent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("descent.cli.jar"), "evaluate", "--model", file.toString(),
                "--data", data.toString(), "--json", "--no-plot")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(descent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        descent.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, descent.exitValue(), out);
        JsonNode json = new ObjectMapper().readTree(out);
        assertEquals((double) right / rows.size(), json.get("accuracy").asDouble(), 1e-12);
    }
}
