package dev.descent.modelfile;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.data.Standardization;
import dev.descent.io.AtomicFiles;
import dev.descent.io.StrictJson;
import dev.descent.io.Terminal;
import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes the Descent model format, JSON described in {@code docs/model-format.md}:
 * <pre>
 * { "format": "descent-model", "version": 1, "inputs": 5,
 *   "layers": [ {"type": "dense", "weights": [[...], ...], "bias": [...]}, {"type": "relu"}, ... ],
 *   "output": "softmax", "classes": ["0", ...], "training": { ... } }
 * </pre>
 * Weights are stored [in][out], so {@code y = x·W + b}. Doubles are written in their shortest
 * round-trip form, so a saved and reloaded model has exactly the same parameters.
 *
 * <p>A model file is data only: no class is named or loaded from it, every size is checked
 * against the file's own content before anything is allocated, and every number must be finite.
 */
public final class ModelFile {
    public static final String FORMAT = "descent-model";
    /**
     * The newest version this Descent reads and writes: 2, which may hold a {@code
     * preprocessing.encode} (how raw columns, categories and cells to impute, become the inputs)
     * and layers of images (convolutions, pooling, flatten, with the network's {@code inputShape}).
     * A model with neither is written as version 1, as before, so that an older Descent reads it.
     */
    public static final int VERSION = 2;
    /** The version of a model file of dense layers without {@code preprocessing.encode}: every version reads it. */
    public static final int PLAIN_VERSION = 1;

    /** Largest parameter count of a network: read from a file, or built by {@code --layers}. */
    public static final long MAX_PARAMETERS = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    /**
     * Writes {@code model} to {@code path}, atomically; refuses (with a {@link ModelFileException},
     * before anything is written) a model that {@link #read} would refuse ({@link #checkReadable}).
     */
    public static void write(Model model, Path path) throws IOException {
        ObjectNode root = toJson(model); // refuses weights that are not finite
        try {
            checkReadable(model);
        } catch (ModelFileException e) {
            throw new IOException(e.getMessage(), e);
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
        AtomicFiles.write(path, out -> JSON.writer(printer).writeValue(out, root));
    }

    static ObjectNode toJson(Model model) {
        Network network = model.network();
        ObjectNode root = JSON.createObjectNode();
        boolean images = network.layers().stream().anyMatch(ImageLayers::holds);
        root.put("format", FORMAT);
        root.put("version", model.encoding() == null && !images ? PLAIN_VERSION : VERSION);
        root.put("inputs", network.inputSize());
        if (images && network.inputShape() != null) {
            ImageLayers.writeShape(root.putArray("inputShape"), network.inputShape());
        }
        ArrayNode layers = root.putArray("layers");
        for (Layer layer : network.layers()) {
            if (!(layer instanceof Dropout)) { // the identity at prediction: only its probability is kept, in training
                layers.add(layerToJson(layer));
            }
        }
        root.put("output", model.output());
        ArrayNode classes = root.putArray(model.isRegression() ? "targets" : "classes");
        model.classNames().forEach(classes::add);
        if (model.encoding() != null) {
            ModelEncoding.write(root.with("preprocessing").putArray("encode"), model.encoding());
        }
        if (model.standardization() != null) {
            statistics(root.with("preprocessing").putObject("standardize"), model.standardization());
        }
        if (model.targetStandardization() != null) {
            statistics(root.with("preprocessing").putObject("standardizeTargets"), model.targetStandardization());
        }
        root.set("training", JSON.valueToTree(model.training()));
        return root;
    }

    private static void statistics(ObjectNode node, Standardization s) {
        ArrayNode mean = node.putArray("mean"), std = node.putArray("std");
        for (int j = 0; j < s.mean().length; j++) {
            mean.add(s.mean()[j]);
            std.add(s.std()[j]);
        }
    }

    private static ObjectNode layerToJson(Layer layer) {
        ObjectNode node = JSON.createObjectNode();
        if (layer instanceof Dense dense) {
            node.put("type", "dense");
            node.put("inputs", dense.inputSize());
            node.put("outputs", dense.outputSize());
            Matrix w = dense.weights().value();
            requireFinite(w, "weights");
            requireFinite(dense.bias().value(), "bias");
            ArrayNode rows = node.putArray("weights");
            for (int r = 0; r < w.rows(); r++) {
                ArrayNode row = rows.addArray();
                for (int c = 0; c < w.cols(); c++) {
                    row.add(w.get(r, c));
                }
            }
            ArrayNode bias = node.putArray("bias");
            for (double b : dense.bias().value().data()) {
                bias.add(b);
            }
        } else if (layer instanceof Activation) {
            node.put("type", layer.kind());
        } else if (ImageLayers.holds(layer)) {
            ImageLayers.write(layer, node);
        } else {
            throw new IllegalArgumentException("a " + layer.kind() + " layer cannot be saved: the model format "
                    + "holds dense layers, the activations " + String.join(", ", Activation.NAMES) + ", and "
                    + String.join(", ", ImageLayers.TYPES));
        }
        return node;
    }

    static void requireFinite(Matrix m, String what) {
        for (double v : m.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("refusing to save a model whose " + what + " hold " + v);
            }
        }
    }

    /**
     * The longest string a model file holds, in characters: a class or target name, a value in
     * {@code training}. The reader refuses longer ones, and the writer checks against this same
     * bound ({@link #checkNames}), so that no run saves a model it cannot read back.
     */
    public static final int MAX_STRING = 1 << 16;

    /**
     * Bounds on a model file's JSON, checked in a streaming pass before any of it is built: the
     * format nests 5 deep (the document, layers, a layer, weights, a row), and holds at most
     * {@link #MAX_PARAMETERS} parameters and their rows.
     */
    static final StrictJson.Limits LIMITS = new StrictJson.Limits(4L << 30, 8, MAX_STRING,
            MAX_PARAMETERS + 100_000, MAX_PARAMETERS + 1_000_000);

    /**
     * Refuses the strings of {@code model} that {@link #read} would refuse: a class (or target)
     * name, or a key or string value of {@code training}, longer than {@link #MAX_STRING}. Cheap,
     * and known before training: a run checks it first, so that its work is not lost to a model it
     * could not read back.
     */
    public static void checkNames(Model model) throws ModelFileException {
        String what = model.isRegression() ? "target" : "class";
        for (int i = 0; i < model.classNames().size(); i++) {
            tooLong(what + " " + (i + 1) + " of " + model.classNames().size(), model.classNames().get(i));
        }
        if (model.encoding() != null) {
            for (dev.descent.data.Encoding.Column c : model.encoding().columns()) {
                tooLong("a column's name", c.name());
                for (String k : c.categorical() ? c.known() : List.<String>of()) {
                    tooLong("a category of '" + Terminal.shown(c.name()) + "'", k);
                }
            }
        }
        for (Map.Entry<String, Object> e : model.training().entrySet()) {
            tooLong("a key of training", e.getKey());
            if (e.getValue() instanceof String v) {
                tooLong("training." + Terminal.shown(e.getKey()), v);
            }
        }
    }

    private static void tooLong(String what, String s) throws ModelFileException {
        if (s.length() > MAX_STRING) {
            throw new ModelFileException(what + " is '" + Terminal.shown(s) + String.format(Locale.ROOT, "'; a model "
                    + "file holds strings of at most %,d characters, so the saved model could not be read back",
                    MAX_STRING));
        }
    }

    /**
     * Refuses what {@link #read} would refuse of a model made in memory: its strings
     * ({@link #checkNames}), and finite weights whose outputs overflow all the same.
     */
    public static void checkReadable(Model model) throws ModelFileException {
        checkNames(model);
        try {
            Overflow.check(model.network(), model.standardization());
        } catch (ModelFileReader.Invalid e) {
            throw new ModelFileException(e.getMessage());
        }
    }

    /** Reads a model; every problem is a {@link ModelFileException} naming the file and the place. */
    public static Model read(Path path) throws ModelFileException {
        if (Files.isDirectory(path)) {
            throw new ModelFileException(path + ": is a directory, expected a model file");
        }
        JsonNode root;
        try {
            root = StrictJson.read(path, LIMITS);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(path + ": no such file");
        } catch (StrictJson.JsonException e) {
            throw new ModelFileException(path + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ModelFileException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFileException(path + ": not a Descent model (expected a JSON object)");
        }
        try {
            return ModelFileReader.fromJson(root);
        } catch (ModelFileReader.Invalid e) {
            throw new ModelFileException(path + ": " + e.getMessage());
        }
    }

}
