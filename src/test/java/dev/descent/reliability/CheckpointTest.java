package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.cli.Main;
import dev.descent.modelfile.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed in the middle of an epoch (SIGKILL) or stopped with Ctrl-C (SIGINT), then resumed,
 * ends with exactly the parameters and history of the same run left alone.
 */
class CheckpointTest {
    @TempDir
    static Path dir;
    static Path data;

    /** 4 classes of 20 noisy features, 20,000 rows: a few hundred milliseconds an epoch in batches of 8. */
    @BeforeAll
    static void writeData() throws Exception {
        data = dir.resolve("data.csv");
        Random rng = new Random(1);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 20; j++) {
            sb.append("f").append(j).append(',');
        }
        sb.append("label\n");
        for (int i = 0; i < 20_000; i++) {
            int c = i % 4;
            for (int j = 0; j < 20; j++) {
                sb.append(String.format("%.4f", (j % 4 == c ? 1 : 0) + rng.nextGaussian())).append(',');
            }
            sb.append('c').append(c).append('\n');
        }
        Files.writeString(data, sb.toString());
    }

    static List<String> args(Path out, Path checkpoint) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--batch", "8", "--epochs", "8",
                "--optimizer", "adam", "--validation-split", "0.1", "--no-plot", "--quiet",
                "--save", out.resolve("model.json").toString(), "--history", out.resolve("history.csv").toString()));
        if (checkpoint != null) {
            a.addAll(List.of("--checkpoint", checkpoint.toString()));
        }
        return a;
    }

    static int run(List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertEquals("", err.toString());
        return code;
    }

    static Process start(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    /** Waits until the child has saved a checkpoint after at least {@code epochs} epochs. */
    static void awaitEpoch(Path checkpoint, int epochs, Process child) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        ObjectMapper json = new ObjectMapper();
        while (Instant.now().isBefore(deadline)) {
            assertTrue(child.isAlive(), "the run ended before it could be interrupted: "
                    + Files.readString(dir.resolve("child.log")));
            Path f = CheckpointFile.in(checkpoint);
            if (Files.exists(f)) {
                JsonNode node = json.readTree(f.toFile());
                if (node.get("epoch").asInt() >= epochs) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint after " + epochs + " epochs within two minutes");
    }

    static void assertSameRun(Path expected, Path actual) throws Exception {
        assertEquals(Files.readAllLines(expected.resolve("history.csv")), Files.readAllLines(actual.resolve("history.csv")));
        assertEquals(ModelFile.read(expected.resolve("model.json")).network().snapshot(),
                ModelFile.read(actual.resolve("model.json")).network().snapshot());
    }

    static Path uninterrupted;

    static synchronized Path uninterrupted() throws Exception {
        if (uninterrupted == null) {
            Path out = Files.createDirectories(dir.resolve("uninterrupted"));
            assertEquals(0, run(args(out, null)));
            uninterrupted = out;
        }
        return uninterrupted;
    }

    @Test
    void killedMidEpochThenResumedEndsExactlyAsAnUninterruptedRun() throws Exception {
        Path out = Files.createDirectories(dir.resolve("killed")), checkpoint = dir.resolve("killed-checkpoint");
        Process child = start(args(out, checkpoint));
        awaitEpoch(checkpoint, 2, child);
        Thread.sleep(150); // into the middle of the next epoch
        child.destroyForcibly().waitFor(); // SIGKILL: no chance to save anything more
        assertTrue(Files.notExists(out.resolve("model.json")));

        assertEquals(0, run(List.of("train", "--resume", checkpoint.toString())));
        assertSameRun(uninterrupted(), out);
    }

    @Test
    void ctrlCSavesAndTheResumedRunEndsTheSame() throws Exception {
        Path out = Files.createDirectories(dir.resolve("interrupted")), checkpoint = dir.resolve("interrupted-checkpoint");
        Process child = start(args(out, checkpoint));
        awaitEpoch(checkpoint, 1, child);
        Thread.sleep(150);
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
        assertEquals(130, child.waitFor());
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("continue with: descent train --resume " + checkpoint), log);

        assertEquals(0, run(List.of("train", "--resume", checkpoint.toString())));
        assertSameRun(uninterrupted(), out);
    }

    @Test
    void aRunThatMeetsNaNKeepsTheLastGoodCheckpointAndSavesNoModel() throws Exception {
        Path checkpoint = dir.resolve("nan-checkpoint"), model = dir.resolve("nan-model.json");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new String[] {"train", "--lr", "1e300", "--no-plot", "--checkpoint", checkpoint.toString(),
                "--save", model.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(1, code);
        assertTrue(out.toString().contains("stopped: the loss became NaN at epoch 1"), out.toString());
        assertTrue(Files.notExists(model));
        JsonNode saved = new ObjectMapper().readTree(CheckpointFile.in(checkpoint).toFile());
        assertEquals(0, saved.get("epoch").asInt());
        for (JsonNode p : saved.get("parameters")) {
            for (JsonNode v : p.get("values")) {
                assertTrue(Double.isFinite(v.asDouble()));
            }
        }
    }

    @Test
    void resumeRefusesDataThatChangedSinceTheSave() throws Exception {
        Path small = dir.resolve("small.csv"), checkpoint = dir.resolve("changed-checkpoint");
        Files.writeString(small, "a,b,label\n1,2,x\n3,4,y\n5,6,x\n");
        assertEquals(0, run(List.of("train", "--data", small.toString(), "--epochs", "2", "--no-plot", "--quiet",
                "--checkpoint", checkpoint.toString())));
        Files.writeString(small, "a,b,label\n1,2,x\n3,4,y\n5,7,x\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new String[] {"train", "--resume", checkpoint.toString()}, new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(2, code);
        assertEquals("descent train: --resume: the training data has changed since the run was saved in " + checkpoint
                + "; a resumed run would not end as the original would have. Start a new run instead.",
                err.toString().strip());
    }

    @Test
    void resumeRefusesOptionsOfItsOwn() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new String[] {"train", "--resume", dir.toString(), "--lr", "0.1"}, new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(2, code);
        assertEquals("descent train: --resume: the run continues with the options it was started with; leave out --lr",
                err.toString().strip());
    }
}
