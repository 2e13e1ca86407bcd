package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.Main;
import dev.descent.modelfile.ModelFile;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 25: SIGTERM or Ctrl-C (SIGINT) while a large file is being written leaves no temporary
 * file beside it, and the file itself is the old one or the whole new one, never a part.
 */
class InterruptedWriteTest {
    @TempDir
    static Path dir;
    static Path model, rows;

    /** A small model of 2 features, and a million rows for it to predict: about 60 MB of predictions. */
    @BeforeAll
    static void prepare() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "a,b,label\n0,1,x\n1,0,y\n1,1,z\n0,0,x\n");
        model = dir.resolve("small.json");
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, Main.run(new String[] {"train", "--data", data.toString(), "--epochs", "2", "--no-plot", "--quiet",
                "--save", model.toString()}, new PrintWriter(out), new PrintWriter(err)), err.toString());
        rows = dir.resolve("rows.csv");
        try (BufferedWriter w = Files.newBufferedWriter(rows)) {
            w.write("a,b\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write((i % 7) + "," + (i % 5) + "\n");
            }
        }
    }

    static Process start(Path log, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The temporary files beside {@code target}: {@code .NAME.<hex>.tmp}. */
    static List<Path> temporaries(Path target) throws Exception {
        try (Stream<Path> files = Files.list(target.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith("." + target.getFileName() + ".")
                    && f.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @ParameterizedTest(name = "SIG{0} during {1}")
    @CsvSource({"TERM, save", "INT, save", "TERM, predict", "INT, predict"})
    void aStopWhileWritingLeavesNoTemporaryFileAndNoPartOfAFile(String signal, String what) throws Exception {
        Path work = Files.createDirectories(dir.resolve(signal + "-" + what)), log = work.resolve("child.log");
        Path target = work.resolve(what.equals("save") ? "m.json" : "p.csv");
        List<String> args = what.equals("save")
                // 5-1500-1500-10: 2.3 million parameters, a model file of about 45 MB
                ? List.of("train", "--layers", "1500,1500", "--epochs", "1", "--no-plot", "--quiet", "--save", target.toString())
                : List.of("predict", "--model", model.toString(), "--data", rows.toString(), "--out", target.toString());
        Process child = start(log, args);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (temporaries(target).isEmpty()) {
            assertTrue(child.isAlive(), "ended before it wrote: " + Files.readString(log));
            assertTrue(Instant.now().isBefore(deadline), "no temporary file within two minutes");
            Thread.sleep(2);
        }
        new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
        int code = child.waitFor();
        assertEquals(List.of(), temporaries(target), "exit " + code + ": " + Files.readString(log));
        if (Files.exists(target)) { // the write finished while the program stopped: it is whole
            if (what.equals("save")) {
                assertEquals(10, ModelFile.read(target).classNames().size());
            } else {
                assertEquals(1_000_001, Files.lines(target).count());
            }
        }
    }
}
