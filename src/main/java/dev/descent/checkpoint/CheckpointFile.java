package dev.descent.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.io.AtomicFiles;
import dev.descent.io.StrictJson;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.TrainingState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads and writes {@code checkpoint.json} in a checkpoint directory: compact JSON with format
 * {@code descent-checkpoint}, version 2. Doubles are written in their shortest round-trip form,
 * so a resumed run continues from bit-for-bit the same numbers; NaN (a missing validation value)
 * is written as null. Written atomically: a crash while saving leaves the previous checkpoint.
 *
 * <p>Nothing in a checkpoint is trusted: the file carries the SHA-256 of its own bytes (with the
 * checksum's digits read as zeros), is read as strict JSON within limits, and every field is
 * checked for type and range ({@link CheckpointReader}) and, before a run continues from it,
 * against the run ({@link CheckpointReader#checkFits}). Each refusal names the field.
 */
public final class CheckpointFile {
    public static final String FORMAT = "descent-checkpoint";
    public static final int VERSION = 2;
    public static final String NAME = "checkpoint.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The checksum field as written, up to its digits; the digits follow. */
    static final byte[] CHECKSUM_FIELD = "\"checksum\":\"sha256:".getBytes(StandardCharsets.US_ASCII);
    static final int DIGITS = 64;

    /**
     * The longest string a checkpoint holds, in characters (an argument of the run's command line):
     * the reader's bound, which {@link #checkArgs} holds the writer to.
     */
    public static final int MAX_STRING = 1 << 16;

    /** Bounds on a checkpoint's JSON: parameters, two optimizer slots and a best copy of each, and the history. */
    static final StrictJson.Limits LIMITS = new StrictJson.Limits(Integer.MAX_VALUE - 16, 8, MAX_STRING,
            10_000_000, 500_000_000);

    /**
     * Refuses arguments that a checkpoint could be written with but not read back: one longer than
     * {@link #MAX_STRING}. A run checks its own before it starts.
     */
    public static void checkArgs(List<String> args) {
        for (String a : args) {
            if (a.length() > MAX_STRING) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "an argument of %,d characters "
                        + "('%s') is more than a checkpoint holds (%,d), so the run could not be resumed",
                        a.length(), dev.descent.io.Terminal.shown(a), MAX_STRING));
            }
        }
    }

    private CheckpointFile() {}

    public static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    /**
     * The files a run writes in its checkpoint directory: the checkpoint and the lock
     * ({@link CheckpointLock#NAME}), so that no other output of the run is written over either.
     */
    public static List<Path> files(Path dir) {
        return List.of(in(dir), dir.resolve(CheckpointLock.NAME));
    }

    public static void write(Path dir, Checkpoint checkpoint) throws IOException {
        try {
            checkArgs(checkpoint.args());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        byte[] bytes = JSON.writeValueAsBytes(toJson(checkpoint));
        int at = indexOf(bytes, CHECKSUM_FIELD) + CHECKSUM_FIELD.length;
        byte[] digest = sha256(bytes); // over the placeholder's zeros
        System.arraycopy(HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII), 0, bytes, at, DIGITS);
        Files.createDirectories(dir);
        AtomicFiles.write(in(dir), out -> out.write(bytes));
    }

    private static ObjectNode toJson(Checkpoint checkpoint) {
        TrainingState s = checkpoint.state();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("checksum", "sha256:" + "0".repeat(DIGITS));
        root.put("run", checkpoint.run());
        ArrayNode args = root.putArray("args");
        checkpoint.args().forEach(args::add);
        root.put("dataFingerprint", checkpoint.dataFingerprint());
        root.put("epoch", s.epoch());
        root.put("batch", s.batch());
        root.put("partialLoss", s.partialLoss());
        root.put("partialCorrect", s.partialCorrect());
        ArrayNode rows = root.putArray("history");
        for (History.Row r : s.rows()) {
            ArrayNode row = rows.addArray();
            row.add(r.epoch());
            for (double v : new double[] {r.loss(), r.accuracy(), r.validationLoss(), r.validationAccuracy(), r.seconds()}) {
                if (Double.isNaN(v)) {
                    row.addNull();
                } else {
                    row.add(v);
                }
            }
        }
        root.set("parameters", matrices(s.parameters()));
        ObjectNode opt = root.putObject("optimizer");
        opt.put("steps", s.optimizer().steps());
        ObjectNode slots = opt.putObject("slots");
        s.optimizer().slots().forEach((name, arrays) -> {
            ArrayNode a = slots.putArray(name);
            arrays.forEach(values -> a.add(array(values)));
        });
        if (s.best() != null) {
            ObjectNode best = root.putObject("best");
            best.put("epoch", s.best().epoch());
            best.put("loss", s.best().loss());
            best.set("parameters", matrices(s.best().parameters()));
        }
        return root;
    }

    private static ArrayNode matrices(List<Matrix> ms) {
        ArrayNode a = JSON.createArrayNode();
        for (Matrix m : ms) {
            ObjectNode node = a.addObject();
            node.put("rows", m.rows());
            node.put("cols", m.cols());
            node.set("values", array(m.data()));
        }
        return a;
    }

    private static ArrayNode array(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    /** Reads a checkpoint directory; every problem is an {@link IOException} whose message names the file and field. */
    public static Checkpoint read(Path dir) throws IOException {
        Path file = in(dir);
        byte[] bytes;
        try {
            if (Files.size(file) > LIMITS.maxBytes()) {
                throw new IOException(file + ": " + Files.size(file) + " bytes, larger than a checkpoint can be");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(dir + ": no " + NAME + " (not a checkpoint directory, or nothing saved yet)");
        }
        bytes = withoutByteOrderMark(bytes);
        try {
            verifyChecksum(bytes);
            return CheckpointReader.parse(StrictJson.read(bytes, LIMITS));
        } catch (StrictJson.JsonException | IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** Refuses a file whose bytes are not those its checksum was computed over. */
    static void verifyChecksum(byte[] bytes) {
        int at = indexOf(bytes, CHECKSUM_FIELD);
        if (at < 0 || at + CHECKSUM_FIELD.length + DIGITS > bytes.length) {
            throw new IllegalArgumentException("no checksum; not a version " + VERSION + " Descent checkpoint");
        }
        at += CHECKSUM_FIELD.length;
        String written = new String(bytes, at, DIGITS, StandardCharsets.US_ASCII);
        byte[] zeroed = bytes.clone();
        Arrays.fill(zeroed, at, at + DIGITS, (byte) '0');
        if (!HexFormat.of().formatHex(sha256(zeroed)).equals(written)) {
            throw new IllegalArgumentException("the checksum does not match the content: the file is corrupt "
                    + "or was edited; resume from it is refused");
        }
    }

    private static byte[] withoutByteOrderMark(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF
                ? Arrays.copyOfRange(b, 3, b.length) : b;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Checks that a run can continue from {@code c}: its network's parameters (their shapes), its
     * epochs, samples, batches per epoch, and its optimizer's fresh state (the slots it keeps).
     * An {@link IllegalArgumentException} names the field out of range.
     */
    public static void checkFits(Checkpoint c, List<Matrix> parameters, int epochs,
            int samples, int batches, Optimizer.State fresh) {
        CheckpointReader.checkFits(c, parameters, epochs, samples, batches, fresh);
    }
}
