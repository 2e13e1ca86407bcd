package dev.descent.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.Main;
import dev.descent.examples.readme.ClassifyCsv;
import dev.descent.examples.readme.ScoreAModel;
import dev.descent.examples.readme.TrainLikeDescentTrain;
import dev.descent.examples.readme.TrainTheSeedNetwork;
import dev.descent.modelfile.ModelFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet in the README is a whole program under {@code examples/readme/}, named in an
 * HTML comment just above it, and shown exactly as it is there, imports included (without its
 * package line): the build compiles it, this test runs it, and a README that drifts from it fails
 * here. {@code .ci/consumer.sh} compiles the same README text in a project of its own.
 */
class ReadmeExamplesTest {
    static final Pattern BLOCK = Pattern.compile("<!-- (src/test/java/\\S+\\.java) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    record Snippet(Path source, String text) {}

    static List<Snippet> snippets() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<Snippet> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            found.add(new Snippet(Path.of(m.group(1)), m.group(2)));
        }
        long fences = readme.lines().filter(l -> l.startsWith("```java")).count();
        assertEquals(fences, found.size(), "every ```java block in the README names its program in <!-- path --> above it");
        return found;
    }

    @Test
    void everyJavaSnippetIsItsProgramWordForWord() throws Exception {
        List<Snippet> snippets = snippets();
        assertEquals(4, snippets.size());
        for (Snippet s : snippets) {
            String program = Files.readString(s.source()).replaceFirst("\\Apackage [\\w.]+;\\n\\n", "");
            assertEquals(program, s.text(), s.source() + " and its README snippet differ");
        }
    }

    static String run(ThrowingMain main) throws Exception {
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(before);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingMain {
        void run() throws Exception;
    }

    @Test
    void theSeedNetworkProgramTrains() throws Exception {
        String out = run(() -> TrainTheSeedNetwork.main(new String[0]));
        Matcher m = Pattern.compile("loss ([\\d.]+) -> ([\\d.]+), accuracy (\\d+)%").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(2)) < Double.parseDouble(m.group(1)) / 5, out);
        assertEquals("80", m.group(3), out);
        assertTrue(out.contains("predicted ["), out);
    }

    @Test
    void theRecipeProgramTrainsWhatDescentTrainTrains() throws Exception {
        Path csv = flowers();
        String out = run(() -> TrainLikeDescentTrain.main(new String[] {csv.toString()}));
        Matcher m = Pattern.compile("loss ([\\d.]+) -> ([\\d.]+), training accuracy ([\\d.]+)%").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(2)) < Double.parseDouble(m.group(1)), out);
        assertTrue(out.contains("optimizer=adam, learningRate=0.001"), out);
        assertTrue(out.contains("dtype=float32"), out);
    }

    @Test
    void theCsvProgramTrainsSavesLoadsAndPredicts() throws Exception {
        Path csv = flowers(), model = dir.resolve("model.json");
        String out = run(() -> ClassifyCsv.main(new String[] {csv.toString(), model.toString()}));
        Matcher m = Pattern.compile("validation accuracy ([\\d.]+)%").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) >= 90, out);
        assertTrue(out.contains("row 1: setosa (p = "), out);
        assertEquals(List.of("setosa", "versicolor", "virginica"), ModelFile.read(model).classNames());
    }

    /** The model-in, metrics-out program prints what descent evaluate --json prints, to the last digit. */
    @Test
    void theScoringProgramGivesDescentEvaluatesNumbers() throws Exception {
        Path csv = flowers(), model = dir.resolve("model.json");
        run(() -> ClassifyCsv.main(new String[] {csv.toString(), model.toString()}));
        String out = run(() -> ScoreAModel.main(new String[] {model.toString(), csv.toString()}));
        StringWriter json = new StringWriter();
        assertEquals(0, Main.run(new String[] {"evaluate", "--model", model.toString(), "--data", csv.toString(), "--json",
            "--no-plot"}, new PrintWriter(json), new PrintWriter(new StringWriter())));
        JsonNode r = new ObjectMapper().readTree(json.toString());
        assertTrue(out.contains("accuracy " + r.get("accuracy").asText() + ", macro F1 " + r.get("macro").get("f1").asText()
                + ", weighted F1 " + r.get("weighted").get("f1").asText()), out + json);
        for (JsonNode k : r.get("classes")) {
            assertTrue(out.contains(k.get("class").asText() + ": precision " + k.get("precision").asText() + ", recall "
                    + k.get("recall").asText() + ", F1 " + k.get("f1").asText() + ", support " + k.get("support").asText()),
                    out + json);
        }
        assertTrue(out.contains("first rows: [setosa, versicolor, virginica]"), out);
    }

    /** 150 flowers of three species, petal length far apart, with a semicolon delimiter and quoted header. */
    private Path flowers() throws Exception {
        Path csv = dir.resolve("flowers.csv");
        Random rng = new Random(3);
        StringBuilder sb = new StringBuilder("\"petal\";\"sepal\";\"species\"\n");
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 150; i++) {
            sb.append(100 * (i % 3) + 10 * rng.nextGaussian()).append(';').append(5 + rng.nextGaussian()).append(';')
                    .append(names[i % 3]).append('\n');
        }
        return Files.writeString(csv, sb.toString());
    }
}
