package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.descent.cli.Main;
import dev.descent.modelfile.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: a run's own text (class names with escape sequences, line breaks, quotes and commas)
 * printed, written and read back; finite values at the top of the double range; a step schedule
 * that underflows; a constant target; a model through a pipe.
 */
class HostileTextTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /** Three classes named to hurt a terminal and a CSV reader, 60 rows of two informative features. */
    static final List<String> HOSTILE = List.of("\u001b]0;pwned\u0007\u001b[2J", "two\nlines", "a,\"quoted\" one");

    /** Writes {@code classes} as a CSV file the way a spreadsheet would: RFC 4180, quoted where needed. */
    static Path csv(Path file, List<String> classes, int rows) throws IOException {
        Random rng = new Random(7);
        try (CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(file)) {
            w.writeRecord("f1", "f2", "label");
            for (int i = 0; i < rows; i++) {
                int c = i % classes.size();
                w.writeRecord(Double.toString(c + 0.1 * rng.nextGaussian()), Double.toString(-c + 0.1 * rng.nextGaussian()),
                        classes.get(c));
            }
        }
        return file;
    }

    /** Text a terminal would act on: ESC, BEL, CR, the C1 controls. */
    static void assertInert(String text, String what) {
        for (char c : text.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f, what + " holds the control character "
                    + (int) c + ":\n" + text);
        }
    }

    @Test
    void classNamesWithEscapeSequencesAndLineBreaksReachNoTerminalRaw() throws IOException {
        Path data = csv(dir.resolve("d.csv"), HOSTILE, 60), model = dir.resolve("m.json");
        Result train = run("train", "--data", data.toString(), "--epochs", "30", "--no-plot", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        assertInert(train.out() + train.err(), "train");
        Result summary = run("summary", "--model", model.toString());
        assertEquals(0, summary.code(), summary.err());
        assertInert(summary.out(), "summary");
        assertTrue(summary.out().contains("\\u001b]0;pwned\\u0007\\u001b[2J, a,\"quoted\" one, two\\u000alines"),
                summary.out());
        Result evaluate = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--no-plot");
        assertEquals(0, evaluate.code(), evaluate.err());
        assertInert(evaluate.out(), "evaluate");
        // one line per class in the per-class table and in the matrix, whatever the names hold
        assertEquals(2, evaluate.out().lines().filter(l -> l.contains("two\\u000alines")).count(), evaluate.out());
    }

    @Test
    void anErrorNamingAClassStaysOneLine() throws IOException {
        Path data = csv(dir.resolve("d.csv"), HOSTILE, 60), model = dir.resolve("m.json");
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "2", "--no-plot", "--quiet", "--save",
                model.toString()).code());
        Path other = csv(dir.resolve("other.csv"), List.of("fine", "new\nclass\u001b[2J"), 4);
        Result r = run("evaluate", "--model", model.toString(), "--data", other.toString(), "--no-plot");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertInert(r.err(), "the error");
        assertTrue(r.err().contains("'fine' is not one of the model's classes"), r.err());
    }

    @Test
    void predictionsAreCsvAReaderSplitsRightWhateverTheClassNames() throws IOException {
        Path data = csv(dir.resolve("d.csv"), HOSTILE, 60), model = dir.resolve("m.json"), out = dir.resolve("p.csv");
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "30", "--no-plot", "--quiet", "--save",
                model.toString()).code());
        Result r = run("predict", "--model", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<List<String>> records = new ArrayList<>();
        try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(out)) {
            reader.forEach(rec -> records.add(rec.getFields()));
        }
        List<String> sorted = HOSTILE.stream().sorted().toList(); // classes are numbered in sorted order of their names
        List<String> header = new ArrayList<>(List.of("row", "class"));
        sorted.forEach(c -> header.add("p_" + c));
        assertEquals(header, records.get(0));
        assertEquals(61, records.size(), "a header and one record per row");
        for (int i = 1; i < records.size(); i++) {
            List<String> rec = records.get(i);
            assertEquals(Integer.toString(i), rec.get(0));
            assertTrue(HOSTILE.contains(rec.get(1)), rec.get(1));
            assertEquals(5, rec.size());
        }
    }

    /** Rows whose first feature is near 1e200 or at ±1.5e308, the second ordinary, labelled by the sign. */
    static Path extreme(Path file, double magnitude, boolean regression) throws IOException {
        StringBuilder sb = new StringBuilder(regression ? "a,b,y\n" : "a,b,label\n");
        for (int i = 0; i < 20; i++) {
            double a = (i % 2 == 0 ? -1 : 1) * magnitude * (1 + 0.01 * i);
            sb.append(a).append(',').append(i % 3).append(',').append(regression ? Double.toString(a) : i % 2 == 0 ? "n"
                    : "p").append('\n');
        }
        return Files.writeString(file, sb.toString());
    }

    @Test
    void valuesNear1e200AndTheTopOfTheRangeAreStandardisedNotAStackTrace() throws IOException {
        for (double magnitude : new double[] {1e200, 1.5e308 / 1.2}) {
            Path data = extreme(dir.resolve("x.csv"), magnitude, false), model = dir.resolve("x.json");
            Result r = run("train", "--data", data.toString(), "--standardize", "--epochs", "20", "--no-plot", "--quiet",
                    "--save", model.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("training accuracy 100.0%"), "the sign is learnt: " + r.out());
            Result p = run("predict", "--model", model.toString(), "--data", data.toString());
            assertEquals(0, p.code(), p.err());

            Path targets = extreme(dir.resolve("y.csv"), magnitude, true);
            Result g = run("train", "--data", targets.toString(), "--task", "regression", "--label", "y", "--standardize",
                    "--standardize-targets", "--epochs", "20", "--lr", "0.01", "--no-plot", "--quiet", "--save", model.toString());
            assertEquals(0, g.code(), g.err());
            assertEquals(0, run("predict", "--model", model.toString(), "--data", targets.toString(), "--label", "y")
                    .code());
        }
    }

    @Test
    void aStepScheduleThatUnderflowsIsHeldAtItsFloorAndSaysSo() {
        Result r = run("train", "--lr-schedule", "step", "--lr-gamma", "1e-320", "--lr-step-size", "1", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("from epoch 2 the rate would fall below 2.23e-308 and underflow, so it is held there"),
                r.out());
    }

    @Test
    void aConstantTargetHasAnUndefinedRSquaredNotNaN() throws IOException {
        Path data = Files.writeString(dir.resolve("c.csv"), "a,y\n1,5\n2,5\n3,5\n4,5\n");
        Result train = run("train", "--data", data.toString(), "--task", "regression", "--no-plot", "--quiet", "--save",
                dir.resolve("c.json").toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("R² undefined (4 samples)"), train.out());
        Result evaluate = run("evaluate", "--model", dir.resolve("c.json").toString(), "--data", data.toString(),
                "--no-plot");
        assertEquals(0, evaluate.code(), evaluate.err());
        assertFalse((train.out() + evaluate.out()).contains("NaN"), train.out() + evaluate.out());
        assertTrue(evaluate.out().contains("undefined"), evaluate.out());
    }

    /**
     * Runs {@code descent ARGS} through bash, where {@code MODEL} in an argument is
     * {@code <(cat model)}: a pipe, as a user's shell gives one.
     */
    static Result throughAPipe(Path model, String... args) throws Exception {
        StringBuilder command = new StringBuilder("exec \"$JAVA\" -cp \"$CP\" " + Main.class.getName());
        for (String a : args) {
            command.append(' ').append(a.equals("MODEL") ? "<(cat \"$MODEL\")" : "'" + a + "'");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command.toString());
        pb.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        pb.environment().put("CP", System.getProperty("java.class.path"));
        pb.environment().put("MODEL", model.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        var out = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                out.complete(new String(p.getInputStream().readAllBytes()));
            } catch (IOException e) {
                out.completeExceptionally(e);
            }
        });
        reader.start();
        String err = new String(p.getErrorStream().readAllBytes());
        int code = p.waitFor();
        return new Result(code, out.get(), err);
    }

    @Test
    void aModelThroughAPipeIsReadAsAFileIs() throws Exception {
        Path model = dir.resolve("m.json");
        assertEquals(0, run("train", "--epochs", "5", "--no-plot", "--quiet", "--save", model.toString()).code());
        Result summary = throughAPipe(model, "summary", "--model", "MODEL");
        assertEquals(0, summary.code(), summary.err());
        assertTrue(summary.out().contains("  classes    0, 1, 2, 3, 4, 5, 6, 7, 8, 9"), summary.out());
        Path rows = Files.writeString(dir.resolve("rows.csv"), "a,b,c,d,e\n1,0,0,1,0\n");
        Result predict = throughAPipe(model, "predict", "--model", "MODEL", "--data", rows.toString());
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().startsWith("row,class,"), predict.out());
        Path again = dir.resolve("again.json");
        Result init = throughAPipe(model, "train", "--init", "MODEL", "--epochs", "1", "--no-plot", "--quiet", "--save",
                again.toString());
        assertEquals(0, init.code(), init.err());
        assertEquals(ModelFile.read(model).classNames(), ModelFile.read(again).classNames());
    }
}
