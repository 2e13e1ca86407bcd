package dev.descent.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.checkpoint.CheckpointFile;
import dev.descent.checkpoint.CheckpointLock;
import dev.descent.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, class 2 and the checkpoint half of class 4: a checkpoint directory belongs to one run,
 * a resumed run writes back where it was resumed from, and nothing in a checkpoint is trusted.
 */
class CheckpointTrustTest {
    static Path dir, data, good;
    static byte[] goodBytes;

    /** Trains once for all the tests, JUnit's and jqwik's alike (they do not share lifecycle hooks). */
    static synchronized void saveOneRun() throws IOException {
        if (dir != null) {
            return;
        }
        dir = Files.createTempDirectory("descent-checkpoints");
        data = Files.writeString(dir.resolve("d.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n0,1,y\n");
        good = dir.resolve("good");
        Result r = run("train", "--data", data.toString(), "--epochs", "3", "--batch", "2", "--optimizer", "adam",
                "--no-plot", "--quiet", "--checkpoint", good.toString());
        assertEquals(0, r.code, r.err);
        goodBytes = Files.readAllBytes(CheckpointFile.in(good));
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    static Path copy(String name, byte[] content) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.write(CheckpointFile.in(d), content);
        return d;
    }

    /** The checkpoint's JSON changed by {@code edit}, with its checksum made to match again. */
    static byte[] edited(Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(goodBytes);
        edit.accept(root);
        root.put("checksum", "sha256:" + "0".repeat(64));
        byte[] bytes = json.writeValueAsBytes(root);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new String(bytes, StandardCharsets.UTF_8).replace("0".repeat(64), digest).getBytes(StandardCharsets.UTF_8);
    }

    static void assertRefused(byte[] content, String name, String message) throws IOException {
        Path d = copy(name, content);
        Result r = run("train", "--resume", d.toString());
        assertEquals(2, r.code, r.err + r.out);
        assertEquals("descent train: --resume: " + CheckpointFile.in(d) + ": " + message, r.err.strip());
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void everyFieldIsCheckedAndNamed() throws Exception {
        saveOneRun();
        assertRefused(edited(r -> r.put("dataFingerprint", "")), "fingerprint",
                "dataFingerprint is \"\", not the SHA-256 of the training data");
        assertRefused(edited(r -> r.put("epoch", 7)), "epoch", "history has 4 rows but epoch is 7 (expected 8)");
        assertRefused(edited(r -> r.put("epoch", -1)), "negative", "epoch is -1; it must be between 0 and 2147483646");
        assertRefused(edited(r -> r.put("batch", 5)), "batch", "batch is 5 but the run has ended");
        assertRefused(edited(r -> ((ArrayNode) r.get("parameters").get(0).get("values")).set(0, (JsonNode) null)),
                "null", "parameters[0].values[0] must be a number, found null");
        assertRefused(edited(r -> ((ObjectNode) r.get("parameters").get(0)).put("rows", 4)), "shape",
                "parameters[0] is 4x128 but holds 256 values");
        assertRefused(edited(r -> ((ArrayNode) r.get("parameters").get(0).get("values")).remove(0)), "length",
                "parameters[0] is 2x128 but holds 255 values");
        assertRefused(edited(r -> {
            ObjectNode p = (ObjectNode) r.get("parameters").get(0);
            p.put("rows", 128).put("cols", 2);
        }), "transposed", "parameters[0] is 128x2 but the network's is 2x128");
        assertRefused(edited(r -> ((ObjectNode) r.get("optimizer")).put("steps", 1000)), "steps",
                "optimizer.steps is 1000 but the run can have taken at most 6 steps");
        assertRefused(edited(r -> ((ArrayNode) r.get("history").get(1)).set(2, 1.5)), "accuracy",
                "history[1][2] is 1.5; an accuracy is between 0 and 1");
        assertRefused(edited(r -> ((ArrayNode) r.get("history").get(2)).set(2, (JsonNode) null)), "accuracy-null",
                "history[2][2] is null but history[0][2] is not; the accuracy is null in every row (regression) or in none");
        assertRefused(edited(r -> r.put("surprise", 1)), "unknown", "unknown field \"surprise\"");
        assertRefused(edited(r -> r.put("version", 4294967298L)), "version",
                "version is 4294967298; it must be between 1 and 2147483647");
    }

    @Test
    void aCheckpointOfTheRightShapeForAnotherRunIsRefusedWithTheField() throws Exception {
        saveOneRun();
        // Valid in itself, but its own arguments now build another network.
        assertRefused(edited(r -> ((ArrayNode) r.get("args")).add("--layers").add("7")), "other-network",
                "parameters[0] is 2x128 but the network's is 2x7");
    }

    /** Any one byte changed anywhere is found, and refused with exit 2 and one line. */
    @Property(tries = 60)
    void aCorruptedByteIsAlwaysRefused(@ForAll @IntRange(min = 0, max = 100_000) int where,
            @ForAll @IntRange(min = 1, max = 255) int flip) throws IOException {
        saveOneRun();
        byte[] bytes = goodBytes.clone();
        int at = where % bytes.length;
        bytes[at] = (byte) (bytes[at] ^ flip);
        Path d = copy("corrupt", bytes);
        Result r = run("train", "--resume", d.toString());
        assertEquals(2, r.code, r.err + r.out);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.startsWith("descent train: --resume: " + CheckpointFile.in(d) + ": "), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
    }

    @Test
    void aByteOrderMarkIsSkipped() throws Exception {
        saveOneRun();
        byte[] withMark = new byte[goodBytes.length + 3];
        withMark[0] = (byte) 0xEF;
        withMark[1] = (byte) 0xBB;
        withMark[2] = (byte) 0xBF;
        System.arraycopy(goodBytes, 0, withMark, 3, goodBytes.length);
        Path d = copy("bom", withMark);
        assertEquals(3, CheckpointFile.read(d).state().epoch());
    }

    @Test
    void aSecondRunCannotTakeADirectoryInUse() throws Exception {
        saveOneRun();
        Path d = dir.resolve("busy");
        try (CheckpointLock held = CheckpointLock.acquire(d)) {
            Result r = run("train", "--epochs", "2", "--no-plot", "--checkpoint", d.toString());
            assertEquals(2, r.code);
            assertEquals("descent train: --checkpoint: " + d + " is in use by another run (process "
                    + ProcessHandle.current().pid() + "); wait for it to end, or give another directory", r.err.strip());
            assertFalse(Files.exists(CheckpointFile.in(d)));
        }
        assertEquals(0, run("train", "--epochs", "2", "--no-plot", "--quiet", "--checkpoint", d.toString()).code);
    }

    @Test
    void aNewRunDoesNotTakeOverASavedOne() throws Exception {
        saveOneRun();
        Path d = copy("taken", goodBytes);
        Result r = run("train", "--epochs", "2", "--no-plot", "--checkpoint", d.toString());
        assertEquals(2, r.code);
        assertEquals("descent train: --checkpoint: " + d + " already holds a saved run; continue it with descent train "
                + "--resume " + d + ", or give another directory", r.err.strip());
        assertTrue(java.util.Arrays.equals(goodBytes, Files.readAllBytes(CheckpointFile.in(d))));
    }

    @Test
    void aMovedCheckpointIsContinuedWhereItNowIsWithAbsolutePaths() throws Exception {
        saveOneRun();
        Path first = dir.resolve("first"), moved = dir.resolve("moved"), out = dir.resolve("moved-model.json");
        Result r = run("train", "--data", data.toString(), "--epochs", "4", "--no-plot", "--quiet", "--checkpoint",
                first.toString(), "--save", out.toString());
        assertEquals(0, r.code, r.err);
        JsonNode saved = new ObjectMapper().readTree(CheckpointFile.in(first).toFile());
        String run = saved.get("run").asText();
        for (JsonNode a : saved.get("args")) {
            assertFalse(a.asText().equals("--checkpoint"), saved.get("args").toString());
        }
        assertTrue(saved.get("args").toString().contains("\"" + out.toAbsolutePath() + "\""), saved.get("args").toString());
        Files.move(first, moved);
        Files.delete(out);
        assertEquals(0, run("train", "--resume", moved.toString(), "--quiet").code);
        assertFalse(Files.exists(first));
        assertTrue(Files.exists(out));
        assertEquals(run, new ObjectMapper().readTree(CheckpointFile.in(moved).toFile()).get("run").asText());
    }

    @Test
    void readingRefusesAVersionOneCheckpoint() throws Exception {
        saveOneRun();
        Path d = copy("old", "{\"format\":\"descent-checkpoint\",\"version\":1,\"epoch\":0}".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(d));
        assertEquals(CheckpointFile.in(d) + ": no checksum; not a version 2 Descent checkpoint", e.getMessage());
    }
}
