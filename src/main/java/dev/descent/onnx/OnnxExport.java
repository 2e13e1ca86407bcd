package dev.descent.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.descent.Descent;
import dev.descent.data.Standardization;
import dev.descent.io.AtomicFiles;
import dev.descent.layers.Activation;
import dev.descent.layers.Dense;
import dev.descent.layers.Dropout;
import dev.descent.layers.Layer;
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

    /** The ONNX file's bytes. A layer other than dense, relu, sigmoid, tanh or dropout: {@link IllegalArgumentException}. */
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
        List<Layer> layers = model.network().layers().stream().filter(l -> !(l instanceof Dropout)).toList();
        int dense = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            String out = !last ? layer.kind() + (i + 1) : !model.isRegression() ? LOGITS
                    : model.targetStandardization() == null ? VALUES : "standardized_values";
            if (layer instanceof Dense d) {
                dense++;
                x = g.node("Gemm", "dense" + (i + 1), List.of(x, g.matrix("W" + dense, d.weights().value()),
                        g.vector("b" + dense, d.bias().value().data())), out);
            } else if (layer instanceof Activation a && Activation.NAMES.contains(a.kind())) {
                x = g.node(opType(a.kind()), a.kind() + (i + 1), List.of(x), out);
            } else {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + layer.kind() + ") has no ONNX form here: "
                        + "ONNX export writes dense layers and the activations " + String.join(", ", Activation.NAMES));
            }
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
        String node(String op, String name, List<String> inputs, String output) {
            graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output));
            return output;
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
