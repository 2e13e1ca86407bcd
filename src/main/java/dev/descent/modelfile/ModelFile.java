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
    public static final int VERSION = 1;

    /** Largest parameter count of a network: read from a file, or built by {@code --layers}. */
    public static final long MAX_PARAMETERS = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    /** Writes {@code model} to {@code path}, atomically. */
    public static void write(Model model, Path path) throws IOException {
        ObjectNode root = toJson(model);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
        AtomicFiles.write(path, out -> JSON.writer(printer).writeValue(out, root));
    }

    static ObjectNode toJson(Model model) {
        Network network = model.network();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("inputs", network.inputSize());
        ArrayNode layers = root.putArray("layers");
        for (Layer layer : network.layers()) {
            if (!(layer instanceof Dropout)) { // the identity at prediction: only its probability is kept, in training
                layers.add(layerToJson(layer));
            }
        }
        root.put("output", model.output());
        ArrayNode classes = root.putArray(model.isRegression() ? "targets" : "classes");
        model.classNames().forEach(classes::add);
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
        } else {
            throw new IllegalArgumentException("a " + layer.kind() + " layer cannot be saved: the model format "
                    + "holds dense layers and the activations " + String.join(", ", Activation.NAMES));
        }
        return node;
    }

    private static void requireFinite(Matrix m, String what) {
        for (double v : m.data()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("refusing to save a model whose " + what + " hold " + v);
            }
        }
    }

    /**
     * Bounds on a model file's JSON, checked in a streaming pass before any of it is built: the
     * format nests 5 deep (the document, layers, a layer, weights, a row), and holds at most
     * {@link #MAX_PARAMETERS} parameters and their rows.
     */
    static final StrictJson.Limits LIMITS = new StrictJson.Limits(4L << 30, 8, 1 << 16,
            MAX_PARAMETERS + 100_000, MAX_PARAMETERS + 1_000_000);

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
