package dev.descent.modelfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.layers.AvgPool2d;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Flatten;
import dev.descent.layers.Layer;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.PoolWindow;
import dev.descent.layers.Shape;
import dev.descent.tensor.Matrix;
import dev.descent.tensor.ShapeException;
import java.util.Iterator;
import java.util.List;

/**
 * The layers of version 2 of the model format, for images ({@code docs/model-format.md}):
 * {@code inputShape} and the {@code conv}, {@code maxpool}, {@code avgpool} and {@code flatten}
 * layers, written and read back, every field checked.
 */
final class ImageLayers {
    private ImageLayers() {}

    /** The format version that holds images; a file without them stays version 1, which every Descent reads. */
    static final int VERSION = 2;

    /** The types of this version's layers. */
    static final List<String> TYPES = List.of("conv", "maxpool", "avgpool", "flatten");

    /** Whether {@code layer} is one of these (and so needs version 2). */
    static boolean holds(Layer layer) {
        return layer instanceof Conv2d || layer instanceof MaxPool2d || layer instanceof AvgPool2d
                || layer instanceof Flatten;
    }

    /** {@code [C, H, W]}. */
    static void writeShape(ArrayNode node, Shape s) {
        node.add(s.channels()).add(s.height()).add(s.width());
    }

    /** Fills {@code node} for an image layer; weights as rows of a filter's C·k·k values, as PyTorch's weight[f] flattened. */
    static void write(Layer layer, ObjectNode node) {
        if (layer instanceof Conv2d c) {
            Conv2d.Geometry g = c.geometry();
            node.put("type", "conv");
            node.put("filters", g.filters());
            node.put("kernel", g.kernel());
            node.put("stride", g.stride());
            node.put("padding", g.padding());
            Matrix w = c.weights().value();
            ModelFile.requireFinite(w, "weights");
            ModelFile.requireFinite(c.bias().value(), "bias");
            ArrayNode rows = node.putArray("weights");
            for (int r = 0; r < w.rows(); r++) {
                ArrayNode row = rows.addArray();
                for (int k = 0; k < w.cols(); k++) {
                    row.add(w.get(r, k));
                }
            }
            ArrayNode bias = node.putArray("bias");
            for (double b : c.bias().value().data()) {
                bias.add(b);
            }
        } else if (layer instanceof MaxPool2d p) {
            pool(node, "maxpool", p.window());
        } else if (layer instanceof AvgPool2d p) {
            pool(node, "avgpool", p.window());
        } else {
            node.put("type", "flatten");
        }
    }

    private static void pool(ObjectNode node, String type, PoolWindow w) {
        node.put("type", type);
        node.put("size", w.size());
        node.put("stride", w.stride());
    }

    /** The {@code inputShape} of the document, or null when it has none. */
    static Shape readShape(JsonNode root, int version, int inputs) throws ModelFileReader.Invalid {
        JsonNode node = root.get("inputShape");
        if (node == null) {
            return null;
        }
        if (version < VERSION) {
            throw new ModelFileReader.Invalid("\"inputShape\" needs version " + VERSION + ", but the file is version "
                    + version);
        }
        if (!node.isArray() || node.size() != 3) {
            throw new ModelFileReader.Invalid("\"inputShape\" must be [channels, height, width], found "
                    + ModelFileReader.describe(node));
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 1) {
                throw new ModelFileReader.Invalid("inputShape[" + i + "] must be a positive whole number, found "
                        + ModelFileReader.describe(d));
            }
            v[i] = d.intValue();
        }
        if ((long) v[0] * v[1] * v[2] != inputs) {
            throw new ModelFileReader.Invalid("\"inputShape\" " + v[0] + "x" + v[1] + "x" + v[2] + " is "
                    + (long) v[0] * v[1] * v[2] + " values, but \"inputs\" is " + inputs);
        }
        return new Shape(v[0], v[1], v[2]);
    }

    /**
     * The image layer of type {@code type} at {@code where}, taking images of {@code shape} (null
     * when the layer before gives a plain row), in a file of {@code version}.
     */
    static Layer read(JsonNode node, String type, String where, Shape shape, int version, long parametersSoFar)
            throws ModelFileReader.Invalid {
        if (version < VERSION) {
            throw new ModelFileReader.Invalid(where + ": a " + type + " layer needs version " + VERSION
                    + ", but the file is version " + version);
        }
        if (type.equals("flatten")) {
            fields(node, where, type, List.of("type"));
            return new Flatten();
        }
        if (shape == null) {
            throw new ModelFileReader.Invalid(where + ": a " + type + " layer takes images, but "
                    + (where.equals("layers[0]") ? "the file has no \"inputShape\"" : "the layer before gives a row"));
        }
        try {
            if (type.equals("conv")) {
                return conv(node, where, shape, parametersSoFar);
            }
            fields(node, where, type, List.of("type", "size", "stride"));
            PoolWindow w = PoolWindow.of(shape, whole(node, "size", where), whole(node, "stride", where));
            return type.equals("maxpool") ? new MaxPool2d(w) : new AvgPool2d(w);
        } catch (ShapeException e) {
            throw new ModelFileReader.Invalid(where + ": a " + type + " layer does not fit its input " + shape + ": "
                    + e.getMessage());
        }
    }

    private static Conv2d conv(JsonNode node, String where, Shape shape, long parametersSoFar)
            throws ModelFileReader.Invalid {
        fields(node, where, "conv", List.of("type", "filters", "kernel", "stride", "padding", "weights", "bias"));
        Conv2d.Geometry g;
        try {
            g = Conv2d.Geometry.of(shape, whole(node, "filters", where), whole(node, "kernel", where),
                    whole(node, "stride", where), node.has("padding") ? zeroOrMore(node.get("padding"), where)
                            : 0);
        } catch (IllegalArgumentException e) {
            if (e instanceof ShapeException) {
                throw e;
            }
            throw new ModelFileReader.Invalid(where + ": " + e.getMessage());
        }
        long count = (long) g.filters() * g.patch() + g.filters();
        if (parametersSoFar + count > ModelFile.MAX_PARAMETERS) {
            throw new ModelFileReader.Invalid(where + ": more than " + ModelFile.MAX_PARAMETERS + " parameters in all");
        }
        JsonNode weights = node.get("weights");
        if (weights == null || !weights.isArray() || weights.size() != g.filters()) {
            throw new ModelFileReader.Invalid(where + ".weights must be an array of " + g.filters() + " rows, one per "
                    + "filter, found " + (weights != null && weights.isArray() ? weights.size() + " rows"
                    : ModelFileReader.describe(weights)));
        }
        Matrix w = new Matrix(g.filters(), g.patch());
        for (int f = 0; f < g.filters(); f++) {
            JsonNode row = weights.get(f);
            if (!row.isArray() || row.size() != g.patch()) {
                throw new ModelFileReader.Invalid(where + ".weights[" + f + "] has " + (row.isArray() ? row.size()
                        + " values" : "no array") + ", expected " + g.patch() + " (channels x kernel x kernel: "
                        + g.channels() + "x" + g.kernel() + "x" + g.kernel() + ")");
            }
            for (int k = 0; k < g.patch(); k++) {
                w.set(f, k, ModelFileReader.finite(row.get(k), where + ".weights[" + f + "][" + k + "]"));
            }
        }
        JsonNode biasNode = node.get("bias");
        if (biasNode == null || !biasNode.isArray() || biasNode.size() != g.filters()) {
            throw new ModelFileReader.Invalid(where + ".bias must be an array of " + g.filters() + " numbers, found "
                    + (biasNode != null && biasNode.isArray() ? biasNode.size() + " values"
                    : ModelFileReader.describe(biasNode)));
        }
        Matrix b = new Matrix(1, g.filters());
        for (int f = 0; f < g.filters(); f++) {
            b.set(0, f, ModelFileReader.finite(biasNode.get(f), where + ".bias[" + f + "]"));
        }
        return new Conv2d(g, w, b);
    }

    private static void fields(JsonNode node, String where, String type, List<String> allowed)
            throws ModelFileReader.Invalid {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ModelFileReader.Invalid(where + ": unknown field \"" + name + "\" in a " + type + " layer");
            }
        }
    }

    private static int whole(JsonNode node, String field, String where) throws ModelFileReader.Invalid {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw new ModelFileReader.Invalid(where + "." + field + " must be a positive whole number, found "
                    + ModelFileReader.describe(v));
        }
        return v.intValue();
    }

    private static int zeroOrMore(JsonNode v, String where) throws ModelFileReader.Invalid {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw new ModelFileReader.Invalid(where + ".padding must be a whole number of 0 or more, found "
                    + ModelFileReader.describe(v));
        }
        return v.intValue();
    }
}
