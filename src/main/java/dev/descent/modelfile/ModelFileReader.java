package dev.descent.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.data.Standardization;
import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Layer;
import dev.descent.layers.Shape;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed model document into a {@link Model}, checking every rule of
 * {@code docs/model-format.md} on the way: field names, version, shapes that chain, finite
 * numbers, and sizes bounded before anything is allocated. Each problem names its place
 * ({@code layers[2].weights[3]}).
 */
final class ModelFileReader {
    private ModelFileReader() {}

    /** A problem at a place in the JSON document. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    /** The top-level fields of versions 1 and 2 (inputShape: 2 only); any other is refused rather than silently ignored. */
    static final List<String> FIELDS = List.of("format", "version", "inputs", "inputShape", "layers", "output",
            "classes", "targets", "preprocessing", "training");

    static Model fromJson(JsonNode root) throws Invalid {
        JsonNode formatNode = root.get("format");
        if (formatNode == null || !formatNode.isTextual() || !ModelFile.FORMAT.equals(formatNode.textValue())) {
            throw new Invalid("not a Descent model: \"format\" is " + describe(root.get("format"))
                    + ", expected \"" + ModelFile.FORMAT + "\"");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new Invalid("\"version\" must be a whole number written without a fraction or exponent, found "
                    + describe(version));
        }
        if (!version.canConvertToInt() || version.intValue() > ModelFile.VERSION || version.intValue() < 1) {
            throw new Invalid("model format version " + version.asText() + " is not supported: this Descent reads "
                    + "versions 1 to " + ModelFile.VERSION + " (a newer Descent may have written it)");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new Invalid("unknown field \"" + name + "\" (version " + ModelFile.VERSION + " has "
                        + String.join(", ", FIELDS) + "); was it written by a newer Descent?");
            }
        }
        int inputs = positiveInt(root, "inputs");
        int width = inputs;
        Shape inputShape = ImageLayers.readShape(root, version.intValue(), inputs);
        Shape shape = inputShape;
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new Invalid("\"layers\" must be a non-empty array");
        }
        long parameters = 0;
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layersNode.size(); i++) {
            String where = "layers[" + i + "]";
            JsonNode node = layersNode.get(i);
            if (!node.isObject() || !node.path("type").isTextual()) {
                throw new Invalid(where + " must be an object with a \"type\" string, found " + describe(node));
            }
            String type = node.get("type").textValue();
            if (type.equals("dense")) {
                Dense dense = readDense(node, where, width);
                parameters += (long) dense.inputSize() * dense.outputSize() + dense.outputSize();
                if (parameters > ModelFile.MAX_PARAMETERS) {
                    throw new Invalid(where + ": more than " + ModelFile.MAX_PARAMETERS + " parameters in all");
                }
                width = dense.outputSize();
                shape = null;
                layers.add(dense);
            } else if (Activation.NAMES.contains(type)) {
                if (node.size() != 1) {
                    throw new Invalid(where + ": a " + type + " layer has only \"type\"; found " + describe(node));
                }
                layers.add(Activation.of(type));
            } else if (ImageLayers.TYPES.contains(type)) {
                Layer layer = ImageLayers.read(node, type, where, shape, version.intValue(), parameters);
                parameters += layer.parameters().stream().mapToLong(p -> p.size()).sum();
                width = layer.outputSize(width);
                shape = layer.outputShape(shape);
                layers.add(layer);
            } else {
                throw new Invalid(where + ": unknown layer type " + describe(node.get("type")) + "; expected dense, "
                        + String.join(", ", Activation.NAMES) + ", " + String.join(", ", ImageLayers.TYPES));
            }
        }
        JsonNode output = root.get("output");
        if (output != null && !(output.isTextual() && (output.textValue().equals(Model.SOFTMAX)
                || output.textValue().equals(Model.LINEAR)))) {
            throw new Invalid("\"output\" is " + describe(output) + "; this Descent supports \"softmax\" and \"linear\"");
        }
        boolean linear = output != null && output.textValue().equals(Model.LINEAR);
        if (root.has(linear ? "classes" : "targets")) {
            throw new Invalid("\"" + (linear ? "classes" : "targets") + "\" goes with output \""
                    + (linear ? Model.SOFTMAX : Model.LINEAR) + "\", but \"output\" is \""
                    + (linear ? Model.LINEAR : Model.SOFTMAX) + "\"");
        }
        Network network = inputShape != null ? new Network(inputShape, layers) : new Network(inputs, layers);
        List<String> classes = readClasses(root.get(linear ? "targets" : "classes"), network.outputSize(),
                linear ? "targets" : "classes");
        JsonNode preprocessing = root.get("preprocessing");
        checkPreprocessing(preprocessing, linear);
        Standardization standardization = preprocessing == null || preprocessing.get("standardize") == null ? null
                : readStatistics(preprocessing.get("standardize"), "preprocessing.standardize", inputs, "input");
        Standardization targets = preprocessing == null || preprocessing.get("standardizeTargets") == null ? null
                : readStatistics(preprocessing.get("standardizeTargets"), "preprocessing.standardizeTargets",
                        network.outputSize(), "target");
        dev.descent.data.Encoding encoding = null;
        if (preprocessing != null && preprocessing.has("encode")) {
            if (version.intValue() < 2) {
                throw new Invalid("preprocessing.encode needs \"version\": 2; this file says " + version.asText());
            }
            encoding = ModelEncoding.read(preprocessing.get("encode"), inputs);
        }
        Map<String, Object> training = readTraining(root.get("training"));
        Overflow.check(network, standardization);
        return new Model(network, classes, standardization, training, linear ? Model.LINEAR : Model.SOFTMAX, targets,
                encoding);
    }

    private static Dense readDense(JsonNode node, String where, int expectedInputs) throws Invalid {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("type", "inputs", "outputs", "weights", "bias").contains(name)) {
                throw new Invalid(where + ": unknown field \"" + name + "\" in a dense layer");
            }
        }
        JsonNode weights = node.get("weights");
        if (weights == null || !weights.isArray() || weights.isEmpty()) {
            throw new Invalid(where + ".weights must be a non-empty array of rows");
        }
        int in = weights.size();
        if (in != expectedInputs) {
            throw new Invalid(where + ": weights have " + in + " rows but the layer before gives " + expectedInputs
                    + " values; shapes do not chain");
        }
        JsonNode first = weights.get(0);
        if (!first.isArray() || first.isEmpty()) {
            throw new Invalid(where + ".weights[0] must be a non-empty array of numbers");
        }
        int out = first.size();
        if ((long) in * out > ModelFile.MAX_PARAMETERS) {
            throw new Invalid(where + ": " + in + "x" + out + " weights exceed " + ModelFile.MAX_PARAMETERS + " parameters");
        }
        Matrix w = new Matrix(in, out);
        for (int r = 0; r < in; r++) {
            JsonNode row = weights.get(r);
            if (!row.isArray() || row.size() != out) {
                throw new Invalid(where + ".weights[" + r + "] has " + (row.isArray() ? row.size() + " values" : "no array")
                        + ", expected " + out + " (weights are [inputs][outputs])");
            }
            for (int c = 0; c < out; c++) {
                w.set(r, c, finite(row.get(c), where + ".weights[" + r + "][" + c + "]"));
            }
        }
        JsonNode biasNode = node.get("bias");
        if (biasNode == null || !biasNode.isArray() || biasNode.size() != out) {
            throw new Invalid(where + ".bias must be an array of " + out + " numbers, found "
                    + (biasNode != null && biasNode.isArray() ? biasNode.size() + " values" : describe(biasNode)));
        }
        for (String size : List.of("inputs", "outputs")) {
            JsonNode declared = node.get(size);
            int actual = size.equals("inputs") ? in : out;
            if (declared != null && (!declared.isIntegralNumber() || !declared.canConvertToInt()
                    || declared.intValue() != actual)) {
                throw new Invalid(where + "." + size + " is " + describe(declared) + " but the weights are " + in + "x"
                        + out);
            }
        }
        Matrix b = new Matrix(1, out);
        for (int c = 0; c < out; c++) {
            b.set(0, c, finite(biasNode.get(c), where + ".bias[" + c + "]"));
        }
        return new Dense(w, b);
    }

    static double finite(JsonNode v, String where) throws Invalid {
        if (v == null || !v.isNumber()) {
            throw new Invalid(where + " must be a number, found " + describe(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new Invalid(where + " is " + d + "; parameters must be finite");
        }
        return d;
    }

    private static int positiveInt(JsonNode root, String field) throws Invalid {
        JsonNode v = root.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new Invalid("\"" + field + "\" must be a positive whole number, found " + describe(v));
        }
        return v.asInt();
    }

    /** The class names, or a regression model's target names, from the field {@code field}. */
    private static List<String> readClasses(JsonNode node, int outputs, String field) throws Invalid {
        List<String> classes = new ArrayList<>();
        if (node == null) {
            for (int i = 0; i < outputs; i++) {
                classes.add(Integer.toString(i));
            }
            return classes;
        }
        if (!node.isArray() || node.size() != outputs) {
            throw new Invalid("\"" + field + "\" must list " + outputs + " names, one per output; found "
                    + (node.isArray() ? node.size() + " names" : describe(node)));
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i);
            if (!name.isTextual()) {
                throw new Invalid(field + "[" + i + "] must be a string, found " + describe(name));
            }
            int first = classes.indexOf(name.textValue());
            if (first >= 0) {
                throw new Invalid(field + "[" + i + "] repeats " + field + "[" + first + "], " + describe(name)
                        + "; every " + (field.equals("classes") ? "class" : "target") + " needs its own name");
            }
            classes.add(name.textValue());
        }
        return classes;
    }

    /**
     * {@code "preprocessing"}, when present: {"standardize": {"mean": [...], "std": [...]}}; with a
     * linear output it may hold "standardizeTargets" of the same form beside it or alone. Nothing else.
     */
    private static void checkPreprocessing(JsonNode node, boolean linear) throws Invalid {
        if (node == null) {
            return;
        }
        String shape = linear
                ? "\"preprocessing\" must hold \"standardize\", \"standardizeTargets\" or both, each {\"mean\": [...], "
                        + "\"std\": [...]}"
                : "\"preprocessing\" must be {\"standardize\": {\"mean\": [...], \"std\": [...]}}, with or without "
                        + "\"encode\": [...]";
        if (!node.isObject() || node.isEmpty()) {
            throw new Invalid(shape);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("standardizeTargets") && !linear) {
                throw new Invalid("preprocessing.standardizeTargets needs \"output\": \"linear\"");
            }
            if (name.equals("encode")) {
                continue; // read by ModelEncoding
            }
            JsonNode s = node.get(name);
            if (!(name.equals("standardize") || name.equals("standardizeTargets")) || !s.isObject() || s.size() != 2) {
                throw new Invalid(shape);
            }
        }
    }

    /** {"mean": [...], "std": [...]} of {@code count} values each, one per {@code per}, std positive. */
    private static Standardization readStatistics(JsonNode s, String where, int count, String per) throws Invalid {
        if (!s.isObject()) {
            throw new Invalid(where + " must be {\"mean\": [...], \"std\": [...]}");
        }
        double[] mean = numbers(s.get("mean"), where + ".mean", count, per);
        double[] std = numbers(s.get("std"), where + ".std", count, per);
        for (int j = 0; j < count; j++) {
            if (!(std[j] > 0)) {
                throw new Invalid(where + ".std[" + j + "] is " + std[j] + "; it must be positive");
            }
        }
        return new Standardization(mean, std);
    }

    private static double[] numbers(JsonNode node, String where, int count, String per) throws Invalid {
        if (node == null || !node.isArray() || node.size() != count) {
            throw new Invalid(where + " must be an array of " + count + " numbers, one per " + per + ", found "
                    + (node != null && node.isArray() ? node.size() + " values" : describe(node)));
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = finite(node.get(i), where + "[" + i + "]");
        }
        return out;
    }

    private static Map<String, Object> readTraining(JsonNode node) throws Invalid {
        Map<String, Object> training = new LinkedHashMap<>();
        if (node == null) {
            return training;
        }
        if (!node.isObject()) {
            throw new Invalid("\"training\" must be an object of strings, numbers and booleans, found "
                    + describe(node));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (!(v.isTextual() || v.isBoolean() || v.isNumber() && Double.isFinite(v.doubleValue()))) {
                throw new Invalid("training." + f.getKey() + " must be a string, a finite number or a boolean, found "
                        + describe(v));
            }
            training.put(f.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asText());
        }
        return training;
    }

    static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        String text = v.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
