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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs with weight decay, a learning-rate schedule with warm-up, the optimizer's constants,
 * dropout, and regression, killed (SIGKILL) in the middle of an epoch and resumed, end with
 * exactly the parameters and history of the same run left alone: the schedule's rates and the
 * dropout masks come from the epoch and batch, which the checkpoint keeps.
 */
class RegularisedResumeTest {
    @TempDir
    static Path dir;
    static Path data, numeric;

    /** 4 classes of 12 noisy features and a numeric target, 16,000 rows. */
    @BeforeAll
    static void writeData() throws Exception {
        data = dir.resolve("data.csv");
        Random rng = new Random(2);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 12; j++) {
            sb.append("f").append(j).append(',');
        }
        sb.append("value,label\n");
        for (int i = 0; i < 16_000; i++) {
            int c = i % 4;
            double sum = 0;
            for (int j = 0; j < 12; j++) {
                double v = (j % 4 == c ? 1 : 0) + rng.nextGaussian();
                sum += v * (j + 1);
                sb.append(String.format("%.4f", v)).append(',');
            }
            sb.append(String.format("%.4f", 50 + sum)).append(",c").append(c).append('\n');
        }
        Files.writeString(data, sb.toString());
        numeric = dir.resolve("numeric.csv"); // the same without the class column
        Files.writeString(numeric, sb.toString().replace(",label\n", "\n").replaceAll(",c[0-3]\n", "\n"));
    }

    static final String CLASSIFY = "--optimizer adam --beta1 0.85 --eps 1e-7 --weight-decay 0.01 --lr-schedule cosine "
            + "--warmup-epochs 2 --dropout 0.2 --label label";
    static final String REGRESS = "--task regression --label value --loss huber --huber-delta 0.5 --standardize-targets "
            + "--optimizer momentum --momentum 0.8 --lr 0.01 --weight-decay 0.001 --lr-schedule step --lr-step-size 2 "
            + "--dropout 0.1 --dtype float32";

    static List<String> args(String extra, Path out, Path checkpoint) {
        Path file = extra.contains("regression") ? numeric : data;
        List<String> a = new ArrayList<>(List.of("train", "--data", file.toString(), "--batch", "8", "--epochs", "6",
                "--validation-split", "0.1", "--no-plot", "--quiet", "--save", out.resolve("model.json").toString(),
                "--history", out.resolve("history.csv").toString()));
        a.addAll(List.of(extra.split(" ")));
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

    @ParameterizedTest
    @ValueSource(strings = {CLASSIFY, REGRESS})
    void killedMidEpochThenResumedEndsExactlyAsAnUninterruptedRun(String extra) throws Exception {
        Path base = Files.createTempDirectory(dir, "run");
        Path alone = Files.createDirectories(base.resolve("alone")), killed = Files.createDirectories(base.resolve("killed"));
        Path checkpoint = base.resolve("checkpoint"), log = base.resolve("child.log");
        assertEquals(0, run(args(extra, alone, null)));

        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args(extra, killed, checkpoint));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitEpoch(checkpoint, 2, child, log);
        Thread.sleep(150); // into the middle of the next epoch
        child.destroyForcibly().waitFor();
        assertTrue(Files.notExists(killed.resolve("model.json")));

        assertEquals(0, run(List.of("train", "--resume", checkpoint.toString())));
        assertEquals(Files.readAllLines(alone.resolve("history.csv")), Files.readAllLines(killed.resolve("history.csv")));
        assertEquals(ModelFile.read(alone.resolve("model.json")).network().snapshot(),
                ModelFile.read(killed.resolve("model.json")).network().snapshot());
    }

    static void awaitEpoch(Path checkpoint, int epochs, Process child, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        ObjectMapper json = new ObjectMapper();
        while (Instant.now().isBefore(deadline)) {
            assertTrue(child.isAlive(), "the run ended before it could be interrupted: " + Files.readString(log));
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
}
