package dev.descent.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Matrix;
import dev.descent.train.History;
import dev.descent.train.TrainingState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a checkpoint's JSON into a {@link Checkpoint}, checking the type and range of every field
 * on the way, and checks a checkpoint against the run about to continue from it. Every problem is
 * an {@link IllegalArgumentException} whose message names the field ({@code history[3][1]}).
 */
final class CheckpointReader {
    private CheckpointReader() {}

    static final Set<String> FIELDS = Set.of("format", "version", "checksum", "run", "args", "dataFingerprint",
            "epoch", "batch", "partialLoss", "partialCorrect", "history", "parameters", "optimizer", "best");

    static Checkpoint parse(JsonNode root) {
        if (!root.isObject() || !text(root, "format").equals(CheckpointFile.FORMAT)) {
            throw bad("not a Descent checkpoint (\"format\" is not \"" + CheckpointFile.FORMAT + "\")");
        }
        if (integer(root, "version", 1, Integer.MAX_VALUE) != CheckpointFile.VERSION) {
            throw bad("version " + root.get("version") + " is not supported: this Descent reads version "
                    + CheckpointFile.VERSION + "; start a new run");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw bad("unknown field \"" + name + "\"");
            }
        }
        String run = text(root, "run");
        if (!run.matches("[0-9a-f-]{36}")) {
            throw bad("run is \"" + run + "\", not a run identity");
        }
        List<String> args = new ArrayList<>();
        JsonNode argsNode = array(root, "args");
        for (int i = 0; i < argsNode.size(); i++) {
            args.add(text(argsNode, i, "args[" + i + "]"));
        }
        String fingerprint = text(root, "dataFingerprint");
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw bad("dataFingerprint is \"" + fingerprint + "\", not the SHA-256 of the training data");
        }
        int epoch = integer(root, "epoch", 0, Integer.MAX_VALUE - 1);
        int batch = integer(root, "batch", 0, Integer.MAX_VALUE - 1);
        double partialLoss = number(root.get("partialLoss"), "partialLoss");
        if (partialLoss < 0) {
            throw bad("partialLoss is " + partialLoss + "; a sum of losses is never negative");
        }
        int partialCorrect = integer(root, "partialCorrect", 0, Integer.MAX_VALUE);
        if (batch == 0 && (partialLoss != 0 || partialCorrect != 0)) {
            throw bad("partialLoss and partialCorrect must be 0 at the end of an epoch (batch 0)");
        }
        List<History.Row> rows = history(array(root, "history"), epoch);
        List<Matrix> parameters = matrices(root.get("parameters"), "parameters");
        JsonNode opt = root.get("optimizer");
        if (opt == null || !opt.isObject() || opt.size() != 2) {
            throw bad("optimizer must be {\"steps\": N, \"slots\": {...}}");
        }
        long steps = integer(opt, "steps", 0, Long.MAX_VALUE, "optimizer.steps");
        JsonNode slotsNode = opt.get("slots");
        if (slotsNode == null || !slotsNode.isObject()) {
            throw bad("optimizer.slots must be an object");
        }
        Map<String, List<double[]>> slots = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = slotsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "optimizer.slots." + e.getKey();
            if (!e.getValue().isArray()) {
                throw bad(where + " must be an array");
            }
            List<double[]> arrays = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                arrays.add(doubles(e.getValue().get(i), where + "[" + i + "]"));
            }
            slots.put(e.getKey(), arrays);
        }
        TrainingState.Best best = null;
        JsonNode b = root.get("best");
        if (b != null) {
            if (!b.isObject() || b.size() != 3) {
                throw bad("best must be {\"epoch\": N, \"loss\": L, \"parameters\": [...]}");
            }
            int bestEpoch = integer(b, "epoch", 0, epoch, "best.epoch");
            double bestLoss = number(b.get("loss"), "best.loss");
            best = new TrainingState.Best(bestEpoch, bestLoss, matrices(b.get("parameters"), "best.parameters"));
        }
        TrainingState state = new TrainingState(epoch, batch, partialLoss, partialCorrect, rows, parameters,
                new Optimizer.State(steps, slots), best);
        return new Checkpoint(run, args, fingerprint, state);
    }

    /**
     * Checks that a run with these parameters, epochs, samples, batches per epoch and optimizer can
     * continue from the checkpoint: positions in range, every tensor of the network's shape.
     */
    static void checkFits(Checkpoint c, List<Matrix> parameters, int epochs, int samples, int batches,
            Optimizer.State fresh) {
        TrainingState s = c.state();
        if (s.epoch() > epochs) {
            throw bad("epoch is " + s.epoch() + " but the run has " + epochs + " epochs");
        }
        if (s.batch() > 0 && (s.epoch() == epochs || s.batch() >= batches)) {
            throw bad("batch is " + s.batch() + " but " + (s.epoch() == epochs ? "the run has ended"
                    : "an epoch has " + batches + " batches"));
        }
        if (s.partialCorrect() > samples) {
            throw bad("partialCorrect is " + s.partialCorrect() + " but the data has " + samples + " samples");
        }
        shapes(s.parameters(), parameters, "parameters");
        if (s.best() != null) {
            shapes(s.best().parameters(), parameters, "best.parameters");
        }
        if (!s.optimizer().slots().keySet().equals(fresh.slots().keySet())) {
            throw bad("optimizer.slots has " + s.optimizer().slots().keySet() + " but the run's optimizer keeps "
                    + fresh.slots().keySet());
        }
        for (Map.Entry<String, List<double[]>> e : s.optimizer().slots().entrySet()) {
            List<double[]> arrays = e.getValue();
            if (!arrays.isEmpty() && arrays.size() != parameters.size()) {
                throw bad("optimizer.slots." + e.getKey() + " has " + arrays.size() + " arrays but the network has "
                        + parameters.size() + " parameter tensors");
            }
            for (int i = 0; i < arrays.size(); i++) {
                if (arrays.get(i).length != parameters.get(i).size()) {
                    throw bad("optimizer.slots." + e.getKey() + "[" + i + "] has " + arrays.get(i).length
                            + " values but parameter " + i + " has " + parameters.get(i).size());
                }
                if (e.getKey().equals("v")) { // Adam's second moments: square roots are taken
                    for (double v : arrays.get(i)) {
                        if (v < 0) {
                            throw bad("optimizer.slots.v[" + i + "] holds " + v + "; second moments are never negative");
                        }
                    }
                }
            }
        }
        long possible = (long) s.epoch() * batches + s.batch();
        if (s.optimizer().steps() > possible) {
            throw bad("optimizer.steps is " + s.optimizer().steps() + " but the run can have taken at most "
                    + possible + " steps");
        }
    }

    private static void shapes(List<Matrix> saved, List<Matrix> network, String where) {
        if (saved.size() != network.size()) {
            throw bad(where + " has " + saved.size() + " tensors but the network has " + network.size());
        }
        for (int i = 0; i < saved.size(); i++) {
            if (!saved.get(i).shape().equals(network.get(i).shape())) {
                throw bad(where + "[" + i + "] is " + saved.get(i).shape() + " but the network's is "
                        + network.get(i).shape());
            }
        }
    }

    private static List<History.Row> history(JsonNode node, int epoch) {
        if (node.size() != epoch + 1) {
            throw bad("history has " + node.size() + " rows but epoch is " + epoch + " (expected " + (epoch + 1) + ")");
        }
        List<History.Row> rows = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "history[" + i + "]";
            JsonNode r = node.get(i);
            if (!r.isArray() || r.size() != 6) {
                throw bad(where + " must be [epoch, loss, accuracy, validation loss, validation accuracy, seconds]");
            }
            if (!r.get(0).isIntegralNumber() || !r.get(0).canConvertToInt() || r.get(0).intValue() != i) {
                throw bad(where + "[0] is " + r.get(0) + ", expected epoch " + i);
            }
            // A regression run has no accuracy: null in every row (and in every validation), never in some.
            boolean noAccuracy = r.get(2).isNull();
            if (i > 0 && noAccuracy != node.get(0).get(2).isNull()) {
                throw bad(where + "[2] is " + r.get(2) + " but history[0][2] is " + (noAccuracy ? "not" : "null")
                        + "; the accuracy is null in every row (regression) or in none");
            }
            double loss = number(r.get(1), where + "[1]");
            double accuracy = noAccuracy ? Double.NaN : fraction(r.get(2), where + "[2]");
            boolean validation = !r.get(3).isNull() || !r.get(4).isNull();
            double vLoss = validation ? number(r.get(3), where + "[3]") : Double.NaN;
            if (validation && noAccuracy && !r.get(4).isNull()) {
                throw bad(where + "[4] is " + r.get(4) + "; a run without accuracy (regression) has no validation "
                        + "accuracy");
            }
            double vAccuracy = !validation || noAccuracy ? Double.NaN : fraction(r.get(4), where + "[4]");
            double seconds = number(r.get(5), where + "[5]");
            if (loss < 0 || vLoss < 0 || seconds < 0) {
                throw bad(where + " has a negative loss or time");
            }
            rows.add(new History.Row(i, loss, accuracy, vLoss, vAccuracy, seconds));
        }
        return rows;
    }

    private static List<Matrix> matrices(JsonNode node, String where) {
        if (node == null || !node.isArray()) {
            throw bad(where + " must be an array of tensors");
        }
        List<Matrix> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = where + "[" + i + "]";
            JsonNode m = node.get(i);
            if (!m.isObject() || m.size() != 3) {
                throw bad(at + " must be {\"rows\": R, \"cols\": C, \"values\": [...]}");
            }
            int rows = integer(m, "rows", 1, Integer.MAX_VALUE, at + ".rows");
            int cols = integer(m, "cols", 1, Integer.MAX_VALUE, at + ".cols");
            double[] values = doubles(m.get("values"), at + ".values");
            if ((long) rows * cols != values.length) {
                throw bad(at + " is " + rows + "x" + cols + " but holds " + values.length + " values");
            }
            out.add(new Matrix(rows, cols, values));
        }
        return out;
    }

    private static double[] doubles(JsonNode a, String where) {
        if (a == null || !a.isArray()) {
            throw bad(where + " must be an array of numbers");
        }
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(a.get(i), where + "[" + i + "]");
        }
        return out;
    }

    private static double number(JsonNode v, String where) {
        if (v == null || !v.isNumber()) {
            throw bad(where + " must be a number, found " + (v == null ? "nothing" : v.toString()));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw bad(where + " is " + d + "; it must be finite");
        }
        return d;
    }

    private static double fraction(JsonNode v, String where) {
        double d = number(v, where);
        if (d < 0 || d > 1) {
            throw bad(where + " is " + d + "; an accuracy is between 0 and 1");
        }
        return d;
    }

    private static int integer(JsonNode parent, String field, int min, int max) {
        return (int) integer(parent, field, min, max, field);
    }

    private static int integer(JsonNode parent, String field, int min, int max, String where) {
        return (int) integer(parent, field, (long) min, max, where);
    }

    private static long integer(JsonNode parent, String field, long min, long max, String where) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(where + " must be a whole number, found " + (v == null ? "nothing" : v.toString()));
        }
        long x = v.longValue();
        if (x < min || x > max) {
            throw bad(where + " is " + x + "; it must be between " + min + " and " + max);
        }
        return x;
    }

    private static JsonNode array(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isArray()) {
            throw bad(field + " must be an array");
        }
        return v;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(field + " must be a string, found " + (v == null ? "nothing" : v.toString()));
        }
        return v.textValue();
    }

    private static String text(JsonNode array, int i, String where) {
        JsonNode v = array.get(i);
        if (!v.isTextual()) {
            throw bad(where + " must be a string, found " + v);
        }
        return v.textValue();
    }

    private static IllegalArgumentException bad(String message) {
        return new IllegalArgumentException(message);
    }
}
