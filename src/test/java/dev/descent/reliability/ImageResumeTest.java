package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.modelfile.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A convolutional run killed in the middle (SIGKILL), then resumed from its checkpoint, ends
 * exactly as the run left alone: the same history line for line and the same parameters bit for
 * bit, on the fused schedule (float32) and in float64. What the checkpoint must carry for this:
 * the image shape, the filters and the optimizer's moments of every convolution.
 */
class ImageResumeTest {
    @org.junit.jupiter.api.io.TempDir
    static Path dir;
    static Path data;

    /** 1x6x6 images of a vertical or a horizontal bar on noise, 4,000 rows. */
    @BeforeAll
    static void writeData() throws Exception {
        data = dir.resolve("bars.csv");
        Random rng = new Random(5);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 36; j++) {
            sb.append('p').append(j).append(',');
        }
        sb.append("label\n");
        for (int i = 0; i < 4000; i++) {
            boolean vertical = rng.nextBoolean();
            int at = rng.nextInt(6);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    double v = (vertical ? x == at : y == at) ? 1 : 0;
                    sb.append(String.format(Locale.ROOT, "%.3f", v + 0.5 * rng.nextGaussian())).append(',');
                }
            }
            sb.append(vertical ? "v" : "h").append('\n');
        }
        Files.writeString(data, sb.toString());
    }

    static List<String> args(Path out, Path checkpoint, String dtype) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--input-shape", "1,6,6",
                "--layers", "conv4k3p1,pool2,conv6k2,avgpool2,8", "--dtype", dtype, "--batch", "8", "--epochs", "12",
                "--optimizer", "adam", "--lr", "0.003", "--validation-split", "0.1", "--no-plot", "--quiet",
                "--save", out.resolve("model.json").toString(), "--history", out.resolve("history.csv").toString()));
        if (checkpoint != null) {
            a.addAll(List.of("--checkpoint", checkpoint.toString()));
        }
        return a;
    }

    /** Waits until the child has saved a checkpoint after at least {@code epochs} epochs. */
    static void awaitEpoch(Path checkpoint, int epochs, Process child) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (System.nanoTime() < deadline) {
            assertTrue(child.isAlive(), "the run ended before it could be killed");
            Path f = dev.descent.checkpoint.CheckpointFile.in(checkpoint);
            if (Files.exists(f) && json.readTree(f.toFile()).get("epoch").asInt() >= epochs) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no checkpoint after " + epochs + " epochs within two minutes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void killedMidRunThenResumedEndsExactlyAsTheRunLeftAlone(String dtype) throws Exception {
        Path whole = Files.createDirectories(dir.resolve("whole-" + dtype));
        assertEquals(0, CheckpointTest.run(args(whole, null, dtype)));

        Path out = Files.createDirectories(dir.resolve("killed-" + dtype)), checkpoint = dir.resolve("cp-" + dtype);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), dev.descent.cli.Main.class.getName()));
        command.addAll(args(out, checkpoint, dtype));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child-" + dtype + ".log").toFile()).start();
        awaitEpoch(checkpoint, 2, child);
        child.destroyForcibly().waitFor(); // SIGKILL: no chance to save anything more
        assertTrue(Files.notExists(out.resolve("model.json")), "killed before the end");

        assertEquals(0, CheckpointTest.run(List.of("train", "--resume", checkpoint.toString())));
        CheckpointTest.assertSameRun(whole, out);
        assertEquals(new dev.descent.layers.Shape(1, 6, 6), ModelFile.read(out.resolve("model.json")).network()
                .inputShape());
    }
}
