package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, classes 1, 3 and 7: no input is overwritten, no output written twice, every failed
 * write is one line and a non-zero exit, sizes too large for the heap are refused with the figure,
 * and the model file describes the epoch it kept.
 */
class NothingLostTest {
    @TempDir
    static Path dir;
    static Path data, model;
    static final String CSV = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n";

    @BeforeAll
    static void trainAModel() throws IOException {
        data = Files.writeString(dir.resolve("d.csv"), CSV);
        model = dir.resolve("m.json");
        assertEquals(0, run("train", "--data", data.toString(), "--epochs", "2", "--no-plot", "--quiet", "--save",
                model.toString()).code);
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static void assertOneLine(Result r, int code, String start) {
        assertEquals(code, r.code, r.err + r.out);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.startsWith(start), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void noOutputOfAnyCommandReplacesAnInput() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("alias.csv"), data);
        String d = data.toString(), m = model.toString(), l = link.toString();
        List<String[]> attempts = List.of(
                new String[] {"train", "--data", d, "--save", d, "--no-plot"},
                new String[] {"train", "--data", d, "--history", l, "--no-plot"},
                new String[] {"train", "--data", d, "--plot", l.replace(".csv", ".png")},
                new String[] {"train", "--data", d, "--init", m, "--save", m, "--no-plot"},
                new String[] {"predict", "--model", m, "--data", d, "--out", l},
                new String[] {"predict", "--model", m, "--data", d, "--out", m},
                new String[] {"evaluate", "--model", m, "--data", d, "--confusion", m},
                new String[] {"export", "--model", m, "--onnx", m},
                new String[] {"export", "--model", m, "--npz", Files.createSymbolicLink(dir.resolve("alias.npz"),
                        NothingLostTest.model).toString()});
        byte[] model = Files.readAllBytes(NothingLostTest.model);
        for (String[] args : attempts) {
            if (args[args.length - 1].endsWith(".png")) {
                Files.deleteIfExists(Path.of(args[args.length - 1]));
                Files.createSymbolicLink(Path.of(args[args.length - 1]), data);
            }
            Result r = run(args);
            assertOneLine(r, 2, "descent " + args[0] + ": --");
            assertTrue(r.err.contains("Descent never overwrites its input"), r.err);
        }
        assertEquals(CSV, Files.readString(data));
        assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(NothingLostTest.model)));
    }

    @Test
    void twoOutputsNamingOneFileAreRefusedBeforeTraining() {
        Path out = dir.resolve("same.out");
        Result r = run("train", "--data", data.toString(), "--save", out.toString(), "--history", out.toString(),
                "--plot", dir.resolve("p.png").toString());
        assertOneLine(r, 2, "descent train: --history: " + out + " is also the --save file");
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("p.png")));
    }

    /** A standard output that fails as a full disk does. */
    static PrintWriter full() {
        return new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        });
    }

    @Test
    void aFullStandardOutputIsOneLineAndExit74ForEveryCommand() {
        List<String[]> commands = List.of(
                new String[] {"predict", "--model", model.toString(), "--data", data.toString()},
                new String[] {"evaluate", "--model", model.toString(), "--data", data.toString(), "--no-plot"},
                new String[] {"train", "--epochs", "2", "--no-plot"},
                new String[] {"gradcheck"},
                new String[] {"export", "--model", model.toString(), "--safetensors", dir.resolve("w.safetensors").toString()});
        for (String[] args : commands) {
            StringWriter err = new StringWriter();
            int code = Main.run(args, full(), new PrintWriter(err));
            assertEquals(74, code, args[0] + ": " + err);
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertTrue(err.toString().contains("standard output could not be written"), err.toString());
        }
    }

    static Process java(String maxHeap, List<String> args, Path stdout) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    @Test
    void predictToDevFullExitsNonZeroWithOneLine() throws Exception {
        Process p = java("128m", List.of("predict", "--model", model.toString(), "--data", data.toString()),
                Path.of("/dev/full"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(74, p.waitFor(), err);
        assertEquals("descent predict: --out: standard output could not be written (a full disk, or closed?); "
                + "the predictions are incomplete", err.strip());
    }

    @Test
    void aModelFileOfEmptyObjectsIsRefusedWithTheFigureNotOutOfMemory() throws Exception {
        Path big = dir.resolve("objects.json");
        try (var out = Files.newBufferedWriter(big)) {
            out.write('[');
            for (int i = 0; i < 7_000_000; i++) {
                out.write(i == 0 ? "{}" : ",{}");
            }
            out.write(']');
        }
        Process p = java("64m", List.of("predict", "--model", big.toString(), "--data", data.toString()),
                dir.resolve("objects.out"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), err);
        assertTrue(err.startsWith("descent predict: --model: " + big + ": reading it needs about "), err);
        assertTrue(err.strip().endsWith(" MB free"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void aNetworkTooLargeForTheHeapIsRefusedWithTheFigureBeforeItIsBuilt() throws Exception {
        Process p = java("64m", List.of("train", "--layers", "3000,3000", "--no-plot"), dir.resolve("heap.out"));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), err);
        assertTrue(err.startsWith("descent train: --layers: the network 5-3000-3000-10 needs about "), err);
        assertTrue(err.contains("9,051,010 parameters"), err);
        assertTrue(err.contains("give Java more memory"), err);
    }

    @Test
    void aModelSavedAfterEarlyStoppingDescribesTheEpochItKept() throws IOException {
        Path saved = dir.resolve("early.json"), history = dir.resolve("early.csv");
        Result r = run("train", "--lr", "0.5", "--epochs", "60", "--validation-split", "0.3", "--patience", "2",
                "--no-plot", "--quiet", "--save", saved.toString(), "--history", history.toString());
        assertEquals(0, r.code, r.err);
        JsonNode training = new ObjectMapper().readTree(saved.toFile()).get("training");
        int kept = training.get("restoredEpoch").asInt();
        assertTrue(kept < training.get("epochsRun").asInt(), training.toString());
        assertEquals(kept, training.get("epochs").asInt());
        String[] row = Files.readAllLines(history).get(kept + 1).split(",");
        assertEquals(Integer.toString(kept), row[0]);
        assertEquals(Double.parseDouble(row[1]), training.get("finalLoss").asDouble(), 1e-6);
    }

    @Test
    void trainHelpHasNoWarnings() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertEquals(0, Main.run(new String[] {"train", "--help"}, new PrintWriter(out), new PrintWriter(err)));
        } finally {
            System.setErr(old);
        }
        assertEquals("", captured.toString() + err);
        assertTrue(out.toString().contains("60%"), out.toString());
    }
}
