package dev.descent.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.descent.Descent;
import dev.descent.data.Standardization;
import dev.descent.io.AtomicFiles;
import dev.descent.layers.Activation;
import dev.descent.layers.AvgPool2d;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.Flatten;
import dev.descent.layers.Layer;
import dev.descent.layers.MaxPool2d;
import dev.descent.layers.PoolWindow;
import dev.descent.layers.Shape;
import dev.descent.modelfile.Model;
import dev.descent.onnx.proto.AttributeProto;
import dev.descent.onnx.proto.GraphProto;
import dev.descent.onnx.proto.ModelProto;
import dev.descent.onnx.proto.NodeProto;
import dev.descent.onnx.proto.OperatorSetIdProto;
import dev.descent.onnx.proto.StringStringEntryProto;
import dev.descent.onnx.proto.TensorProto;
import dev.descent.onnx.proto.TensorShapeProto;
import dev.descent.onnx.proto.TypeProto;
import dev.descent.onnx.proto.ValueInfoProto;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@link Model} as an ONNX model (IR version 8, opset 17, read by every ONNX Runtime since 1.13).
 * For features x: (batch, in) the graph computes, in float32 or float64 throughout:
 * <pre>
 *   features ─ Sub(mean) ─ Div(std)                 the model's standardisation, when it has one:
 *                                                   (x − mean) / std, as Descent computes it
 *   ─ Gemm(W1, b1) ─ Relu ─ Gemm(W2, b2) ─ ...     y = x·W + b: Descent's W (in, out) as Gemm's B,
 *                                                   untransposed; Relu, Sigmoid or Tanh between
 *   ─ logits ─ Softmax(axis −1) ─ probabilities     a classifier: both are outputs
 *   ─ Mul(std) ─ Add(mean) ─ values                  regression: the targets' standardisation undone
 *                                                   (the identity without one)
 * </pre>
 * A network of images (channels first) keeps the same input, each row C·H·W values in Descent's
 * order, and begins by reshaping it to the images that ONNX's operators take:
 * <pre>
 *   features (batch, C·H·W) ─ Reshape(−1, C, H, W)  (batch, C, H, W); after the standardisation
 *   ─ Conv(convN.W, convN.b) ─ Relu ─ MaxPool ...   Conv's W (F, C, k, k) is Descent's (F, C·k·k)
 *                                                   row by row; strides and pads as the layer's
 *   ─ AveragePool ─ Flatten(axis 1) ─ Gemm ...       pooling has no padding; Flatten's order, C then
 *                                                   H then W, is Descent's
 * </pre>
 * The batch dimension is named {@code batch} and left free. The standardisation is kept as nodes
 * rather than folded into the first layer's weights: folding, W' = W / std and b' = b − (mean/std)·W,
 * changes the rounding of every product, so it would not be Descent's computation. The class (or
 * target) names and the provenance go in the model's {@code metadata_props}: {@code classes} (or
 * {@code targets}) as a JSON array, each provenance entry as {@code training.KEY}.
 */
public final class OnnxExport {
    private OnnxExport() {}

    public static final long IR_VERSION = 8;
    public static final int OPSET = 17;
    /** The graph's input, (batch, in). */
    public static final String FEATURES = "features";
    /** A classifier's outputs, (batch, classes): softmax of the logits, and the logits. */
    public static final String PROBABILITIES = "probabilities", LOGITS = "logits";
    /** A regression model's output, (batch, targets), in the targets' own units. */
    public static final String VALUES = "values";
    /** The name of the free batch dimension. */
    public static final String BATCH = "batch";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes {@code model} to {@code path} atomically, as {@code dtype}. */
    public static void write(Model model, Dtype dtype, Path path) throws IOException {
        byte[] bytes = toBytes(model, dtype);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /**
     * The ONNX file's bytes. A layer other than dense, convolution, max or average pooling, flatten,
     * relu, sigmoid, tanh or dropout, or a network of images in float64 (which ONNX Runtime cannot
     * run): {@link IllegalArgumentException}.
     */
    public static byte[] toBytes(Model model, Dtype dtype) {
        return toProto(model, dtype).toByteArray();
    }

    static ModelProto toProto(Model model, Dtype dtype) {
        Graph g = new Graph(dtype);
        String x = FEATURES;
        Standardization s = model.standardization();
        if (s != null) {
            x = g.node("Sub", "standardize_sub", List.of(x, g.vector("standardize_mean", s.mean())), "centred");
            x = g.node("Div", "standardize_div", List.of(x, g.vector("standardize_std", s.std())), "standardized");
        }
        Shape image = model.network().inputShape();
        if (dtype == Dtype.FLOAT64 && model.network().layers().stream()
                .anyMatch(l -> l instanceof Conv2d || l instanceof AvgPool2d || l instanceof MaxPool2d)) {
            // the ONNX standard allows double here, but a file that ONNX Runtime cannot load is no export
            throw new IllegalArgumentException("a network of images exports to ONNX in float32 only: ONNX Runtime has "
                    + "no float64 Conv or AveragePool on the CPU; export it with --dtype float32");
        }
        if (image != null) { // a row of C·H·W values as the image (C, H, W) it is
            x = g.node("Reshape", "to_images", List.of(x, g.longs("image_shape", -1, image.channels(), image.height(),
                    image.width())), "images");
        }
        List<Layer> layers = model.network().layers().stream().filter(l -> !(l instanceof Dropout)).toList();
        int dense = 0, conv = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            String out = !last ? layer.kind() + (i + 1) : !model.isRegression() ? LOGITS
                    : model.targetStandardization() == null ? VALUES : "standardized_values";
            if (layer instanceof Dense d) {
                if (image != null) { // a dense layer straight after images flattens them, as Descent does
                    x = g.node("Flatten", "flatten_before" + (i + 1), List.of(x), "flat" + (i + 1), g.ints("axis", 1));
                    image = null;
                }
                dense++;
                x = g.node("Gemm", "dense" + (i + 1), List.of(x, g.matrix("W" + dense, d.weights().value()),
                        g.vector("b" + dense, d.bias().value().data())), out);
            } else if (layer instanceof Conv2d c) {
                conv++;
                Conv2d.Geometry geo = c.geometry();
                int k = geo.kernel(), p = geo.padding(), st = geo.stride();
                x = g.node("Conv", "conv" + (i + 1), List.of(x,
                        g.filters("conv" + conv + ".W", c.weights().value().data(), geo.filters(), geo.channels(), k, k),
                        g.vector("conv" + conv + ".b", c.bias().value().data())), out,
                        g.ints("kernel_shape", k, k), g.ints("strides", st, st), g.ints("pads", p, p, p, p));
                image = geo.output();
            } else if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
                PoolWindow w = layer instanceof MaxPool2d m ? m.window() : ((AvgPool2d) layer).window();
                x = g.node(layer instanceof MaxPool2d ? "MaxPool" : "AveragePool", layer.kind() + (i + 1), List.of(x), out,
                        g.ints("kernel_shape", w.size(), w.size()), g.ints("strides", w.stride(), w.stride()));
                image = w.output();
            } else if (layer instanceof Flatten) {
                x = g.node("Flatten", "flatten" + (i + 1), List.of(x), out, g.ints("axis", 1));
                image = null;
            } else if (layer instanceof Activation a && Activation.NAMES.contains(a.kind())) {
                x = g.node(opType(a.kind()), a.kind() + (i + 1), List.of(x), out);
            } else {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + layer.kind() + ") has no ONNX form here: "
                        + "ONNX export writes dense, convolution, max and average pooling and flatten layers and the "
                        + "activations " + String.join(", ", Activation.NAMES));
            }
        }
        if (image != null) { // a network that ends on images gives each row its C·H·W values, as Descent does
            throw new IllegalArgumentException("the network ends on images (" + image + "), not on a layer of outputs: "
                    + "ONNX export writes networks whose last layer is dense");
        }
        int width = model.network().outputSize();
        GraphProto.Builder graph = g.graph.setName("descent")
                .setDocString(describe(model))
                .addInput(g.valueInfo(FEATURES, model.network().inputSize()));
        if (model.isRegression()) {
            Standardization t = model.targetStandardization();
            if (t != null) {
                x = g.node("Mul", "targets_mul", List.of(x, g.vector("targets_std", t.std())), "scaled");
                g.node("Add", "targets_add", List.of(x, g.vector("targets_mean", t.mean())), VALUES);
            }
            graph.addOutput(g.valueInfo(VALUES, width));
        } else {
            g.graph.addNode(NodeProto.newBuilder().setOpType("Softmax").setName("softmax").addInput(LOGITS)
                    .addOutput(PROBABILITIES).addAttribute(AttributeProto.newBuilder().setName("axis").setI(-1)
                            .setType(AttributeProto.AttributeType.INT)));
            graph.addOutput(g.valueInfo(PROBABILITIES, width)).addOutput(g.valueInfo(LOGITS, width));
        }
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("Descent")
                .setProducerVersion(Descent.VERSION)
                .setDomain("dev.descent")
                .setModelVersion(1)
                .setDocString(describe(model))
                .setGraph(graph);
        metadata(model).forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static String opType(String activation) {
        return switch (activation) {
            case "relu" -> "Relu";
            case "sigmoid" -> "Sigmoid";
            default -> "Tanh";
        };
    }

    /** {@code 784 -> 128 relu -> 10 softmax, exported by Descent 0.1.0}. */
    private static String describe(Model model) {
        String d = model.network().describe();
        if (model.isRegression()) {
            d = d.substring(0, d.length() - " softmax".length()) + " linear";
        }
        return d + ", exported by Descent " + Descent.VERSION;
    }

    /** classes or targets, the standardisations in words, and every provenance entry as training.KEY. */
    static Map<String, String> metadata(Model model) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        try {
            m.put(model.isRegression() ? "targets" : "classes", JSON.writeValueAsString(model.classNames()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        m.put("output", model.isRegression() ? "values" : "probabilities, logits");
        if (model.standardization() != null) {
            m.put("standardization", "the first nodes: (features - mean) / std");
        }
        if (model.targetStandardization() != null) {
            m.put("targetStandardization", "the last nodes: output * std + mean");
        }
        model.training().forEach((k, v) -> m.put("training." + k, String.valueOf(v)));
        return m;
    }

    /** Nodes and initialisers as they are added; every tensor in the one element type. */
    private static final class Graph {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final Dtype dtype;

        Graph(Dtype dtype) {
            this.dtype = dtype;
        }

        int elemType() {
            return dtype == Dtype.FLOAT32 ? TensorProto.DataType.FLOAT_VALUE : TensorProto.DataType.DOUBLE_VALUE;
        }

        /** Adds a node of one output; returns the output's name. */
        String node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
            for (AttributeProto a : attributes) {
                n.addAttribute(a);
            }
            graph.addNode(n);
            return output;
        }

        /** An attribute of whole numbers: one as INT (axis), several as INTS (kernel_shape, strides, pads). */
        AttributeProto ints(String name, long... values) {
            AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
            if (name.equals("axis")) {
                return a.setType(AttributeProto.AttributeType.INT).setI(values[0]).build();
            }
            for (long v : values) {
                a.addInts(v);
            }
            return a.setType(AttributeProto.AttributeType.INTS).build();
        }

        /** An int64 initialiser (n), as Reshape's shape; returns its name. */
        String longs(String name, long... values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                b.putLong(v);
            }
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                    .addDims(values.length).setRawData(ByteString.copyFrom(b.array())));
            return name;
        }

        /** An initialiser of the given dimensions from row-major values; returns its name. */
        String filters(String name, double[] values, long d0, long d1, long d2, long d3) {
            graph.addInitializer(tensor(name, values, new long[] {d0, d1, d2, d3}));
            return name;
        }

        /** An initialiser (n); returns its name. */
        String vector(String name, double[] values) {
            graph.addInitializer(tensor(name, values, values.length));
            return name;
        }

        /** An initialiser (rows, cols) from a row-major matrix; returns its name. */
        String matrix(String name, Matrix m) {
            graph.addInitializer(tensor(name, m.data(), m.rows(), m.cols()));
            return name;
        }

        private TensorProto tensor(String name, double[] values, long... dims) {
            int item = dtype == Dtype.FLOAT32 ? 4 : 8;
            ByteBuffer b = ByteBuffer.allocate(values.length * item).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("refusing to export " + name + ", which holds " + v);
                }
                if (dtype == Dtype.FLOAT32) {
                    b.putFloat((float) v);
                } else {
                    b.putDouble(v);
                }
            }
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(elemType())
                    .setRawData(ByteString.copyFrom(b.array()));
            for (long d : dims) {
                t.addDims(d);
            }
            return t.build();
        }

        /** A graph input or output: (batch, width) of the element type. */
        ValueInfoProto valueInfo(String name, int width) {
            TensorShapeProto shape = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                    .build();
            return ValueInfoProto.newBuilder().setName(name)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                            .setElemType(elemType()).setShape(shape)))
                    .build();
        }
    }
}
