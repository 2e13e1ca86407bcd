package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.modelfile.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code descent train --gradient spsa}: the seed example to its ceiling, the flags, what the model says. */
class SpsaCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * The learner's method at scale: the thread's network trained by central differences along one
     * random direction a step reaches the 80% ceiling; the header and the model file say how.
     */
    @Test
    void trainsTheSeedExampleToItsCeiling() throws Exception {
        Path model = dir.resolve("m.json");
        Result r = run("train", "--gradient", "spsa", "--lr", "0.002", "--epochs", "2000", "--no-plot", "--save",
                model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gradient   spsa (central differences along 1 random direction a step, ε = 0.001)"),
                r.out());
        assertTrue(r.out().contains("training accuracy 80.0% (8 of 10)"), r.out());
        Map<String, Object> p = ModelFile.read(model).training();
        assertEquals("spsa", p.get("gradient"));
        assertEquals(0.001, ((Number) p.get("h")).doubleValue());
        assertEquals(1, ((Number) p.get("directions")).intValue());
        assertEquals("loss", p.get("objective"));
        assertEquals("float64", p.get("dtype"));
    }

    /**
     * Accuracy or F1 macro itself, a metric without a gradient, trained on a CSV; the loss is
     * reported beside it, and F1 macro, which the table does not show, at the end.
     */
    @ParameterizedTest
    @ValueSource(strings = {"accuracy", "f1-macro"})
    void trainsOnAMetricWithoutAGradient(String objective) throws Exception {
        Path data = dir.resolve("blobs.csv");
        Random rng = new Random(3);
        StringBuilder sb = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 300; i++) {
            int c = i % 3;
            sb.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,k%d%n", (c == 0 ? 2 : 0) + rng.nextGaussian(),
                    (c == 1 ? 2 : 0) + rng.nextGaussian(), (c == 2 ? 2 : 0) + rng.nextGaussian(), c));
        }
        Files.writeString(data, sb.toString());
        Result r = run("train", "--data", data.toString(), "--gradient", "spsa", "--objective", objective,
                "--directions", "4", "--h", "0.05", "--lr", "0.05", "--batch", "full", "--epochs", "300", "--no-plot",
                "--layers", "8");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("objective " + objective + ")"), r.out());
        double accuracy = Double.parseDouble(r.out().replaceAll("(?s).*training accuracy ([0-9.]+)%.*", "$1"));
        assertTrue(accuracy > 85, r.out());
        assertTrue(r.out().contains("final loss"), r.out());
        if (objective.equals("f1-macro")) {
            double f1 = Double.parseDouble(r.out().replaceAll("(?s).*training F1 macro ([0-9.]+).*", "$1"));
            assertTrue(f1 > 0.85, r.out());
        }
    }

    /** gradcheck --gradient spsa: the cosine against theory, the projection, the bias by ε; exit 0. */
    @Test
    void gradcheckChecksTheEstimateAgainstTheory() throws Exception {
        Result r = run("gradcheck", "--gradient", "spsa", "--directions", "4", "--draws", "100");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("gradient check (spsa)"), r.out());
        assertTrue(r.out().contains("over 100 draws (d = 330, n = 4)"), r.out());
        assertTrue(r.out().contains("theory       0.1031"), r.out());
        assertTrue(r.out().contains("√(n/d) = 0.1101"), r.out());
        assertTrue(r.out().contains("PASS: the estimate is unbiased"), r.out());

        Result json = run("gradcheck", "--gradient", "spsa", "--draws", "20", "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertEquals(330, node.get("parameters").asInt());
        assertEquals(1, node.get("directions").asInt());
        assertEquals(0.001, node.get("h").asDouble());
        assertEquals(4, node.get("bias").size());
        assertTrue(node.get("passed").asBoolean());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "gradcheck --directions 4                | descent gradcheck: --directions: only used with --gradient spsa",
        "gradcheck --gradient magic              | descent gradcheck: --gradient: 'magic' is not backprop or spsa",
        "gradcheck --gradient spsa --draws 1     | descent gradcheck: --draws: '1' must be at least 2",
    })
    void badGradcheckFlagsExitTwoWithOneLine(String args, String message) {
        Result r = run(args.strip().split(" +"));
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--directions 4                          | descent train: --directions: only used with --gradient spsa",
        "--objective accuracy                    | descent train: --objective accuracy: a metric without a gradient "
                + "cannot be backpropagated or differentiated coordinate by coordinate; train it with --gradient spsa",
        "--gradient spsa --objective precision   | descent train: --objective: 'precision' is not one of loss, accuracy, f1-macro",
        "--gradient spsa --directions 0          | descent train: --directions: '0' must be at least 1",
        "--gradient spsa --h -1                  | descent train: --h: '-1' must be a positive number",
        "--gradient backprop --h 0.01            | descent train: --h: only used with --gradient numerical or spsa",
    })
    void badFlagsExitTwoWithOneLine(String args, String message) {
        Result r = run(("train --no-plot " + args.strip()).split(" +"));
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
