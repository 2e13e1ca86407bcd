package dev.descent.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.io.AtomicFiles;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@code checkpoint.json} in a checkpoint directory: JSON with format
 * {@code descent-checkpoint}, version 1. Doubles are written in their shortest round-trip form,
 * so a resumed run continues from bit-for-bit the same numbers; NaN (a missing validation value)
 * is written as null. Written atomically: a crash while saving leaves the previous checkpoint.
 */
public final class CheckpointFile {
    public static final String FORMAT = "descent-checkpoint";
    public static final int VERSION = 1;
    public static final String NAME = "checkpoint.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {}

    public static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    public static void write(Path dir, Checkpoint checkpoint) throws IOException {
        TrainingState s = checkpoint.state();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
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
        Files.createDirectories(dir);
        AtomicFiles.write(in(dir), out -> JSON.writeValue(out, root));
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

    /** Reads a checkpoint directory; every problem is an {@link IOException} whose message names the file. */
    public static Checkpoint read(Path dir) throws IOException {
        Path file = in(dir);
        JsonNode root;
        try (var in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        } catch (NoSuchFileException e) {
            throw new IOException(dir + ": no " + NAME + " (not a checkpoint directory, or nothing saved yet)");
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        try {
            return parse(root);
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    private static Checkpoint parse(JsonNode root) {
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " Descent checkpoint");
        }
        List<String> args = new ArrayList<>();
        root.path("args").forEach(a -> args.add(a.asText()));
        List<History.Row> rows = new ArrayList<>();
        for (JsonNode r : root.path("history")) {
            rows.add(new History.Row(r.get(0).asInt(), num(r.get(1)), num(r.get(2)), num(r.get(3)), num(r.get(4)),
                    num(r.get(5))));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the history is empty");
        }
        Map<String, List<double[]>> slots = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("optimizer").path("slots").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<double[]> arrays = new ArrayList<>();
            e.getValue().forEach(a -> arrays.add(doubles(a)));
            slots.put(e.getKey(), arrays);
        }
        Optimizer.State optimizer = new Optimizer.State(root.path("optimizer").path("steps").asLong(), slots);
        TrainingState.Best best = null;
        JsonNode b = root.get("best");
        if (b != null && !b.isNull()) {
            best = new TrainingState.Best(b.get("epoch").asInt(), num(b.get("loss")), matrices(b.get("parameters")));
        }
        TrainingState state = new TrainingState(root.path("epoch").asInt(), root.path("batch").asInt(),
                num(root.get("partialLoss")), root.path("partialCorrect").asInt(), rows, matrices(root.get("parameters")),
                optimizer, best);
        return new Checkpoint(args, root.path("dataFingerprint").asText(""), state);
    }

    private static List<Matrix> matrices(JsonNode node) {
        List<Matrix> out = new ArrayList<>();
        for (JsonNode m : node) {
            out.add(new Matrix(m.get("rows").asInt(), m.get("cols").asInt(), doubles(m.get("values"))));
        }
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = num(a.get(i));
        }
        return out;
    }

    private static double num(JsonNode v) {
        return v == null || v.isNull() ? Double.NaN : v.doubleValue();
    }
}
