package dev.descent.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.descent.data.IdxDataset;
import dev.descent.layers.Dropout;
import dev.descent.modelfile.ModelFile;
import dev.descent.layers.Layer;
import dev.descent.modelfile.Model;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every exported model run by ONNX Runtime (its Java API, in process) on a few hundred rows, and
 * held to Descent's own outputs: a classifier's probabilities and logits, a regression model's
 * values (compared in the network's own units, {@link #inNetworkUnits}). Descent computes in
 * float64; ONNX Runtime in the file's type, on the same inputs (float32 numbers, for a float32 model).
 */
class OnnxRuntimeTest {
    /** float32 arithmetic, ~6e-8 per operation, over two hidden layers: |a − d| ≤ 1e-6·max(1, |d|). */
    static final double TOL_FLOAT32 = 1e-6;
    /** float64: only the order of the sums differs. */
    static final double TOL_FLOAT64 = 1e-12;
    static final int ROWS = 300;

    static Stream<ExportedModels.Case> cases() {
        return ExportedModels.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onnxRuntimeReproducesDescent(ExportedModels.Case c) throws OrtException {
        Model model = c.model();
        Matrix x = c.features(ROWS);
        Map<String, Matrix> got = run(OnnxExport.toBytes(model, c.dtype()), x, c.dtype());
        double tol = c.dtype() == Dtype.FLOAT32 ? TOL_FLOAT32 : TOL_FLOAT64;
        if (c.regression()) {
            assertEquals(List.of(OnnxExport.VALUES), List.copyOf(got.keySet()));
            assertClose(inNetworkUnits(model, model.predictValues(x)), inNetworkUnits(model, got.get(OnnxExport.VALUES)),
                    tol, "values");
        } else {
            assertEquals(List.of(OnnxExport.PROBABILITIES, OnnxExport.LOGITS), List.copyOf(got.keySet()));
            assertClose(model.predictProbabilities(x), got.get(OnnxExport.PROBABILITIES), tol, "probabilities");
            assertClose(model.network().forward(model.prepare(x)), got.get(OnnxExport.LOGITS), tol, "logits");
        }
    }

    @Test
    void theInputIsNamedWithAFreeBatchAndTheClassesAndProvenanceAreMetadata() throws OrtException {
        ExportedModels.Case c = new ExportedModels.Case("relu", false, true, Dtype.FLOAT32);
        Model model = c.model();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(OnnxExport.toBytes(model, Dtype.FLOAT32), new OrtSession.SessionOptions())) {
            NodeInfo input = s.getInputInfo().get(OnnxExport.FEATURES);
            TensorInfo t = (TensorInfo) input.getInfo();
            assertArrayEquals(new long[] {-1, 6}, t.getShape(), "a free batch dimension, then the features");
            assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, t.type);
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("[\"class a\",\"class b\",\"class c\",\"class d\"]", meta.get("classes"));
            assertEquals("float32", meta.get("training.dtype"));
            assertEquals("Descent", s.getMetadata().getProducerName());
        }
    }

    /**
     * The Fashion-MNIST recipe's model, trained one epoch in float32 (60,000 images), exported as it
     * was trained: ONNX Runtime's probabilities for 300 test images within 1e-6 of Descent's, over
     * sums of 784 products in float32; and the model in safetensors is a quarter of its JSON.
     */
    @Test
    void aFashionMnistModelInFloat32() throws Exception {
        Path data = Path.of("/usr/share/datasets/fashion-mnist");
        if (!Files.isDirectory(data)) {
            assertFalse("true".equals(System.getenv("CI")), data + " is missing: .ci/run must install dataset-fashion-mnist");
            Assumptions.abort("apt-get install dataset-fashion-mnist to run this test");
        }
        Path dir = Files.createTempDirectory("descent-onnx");
        try {
            Path json = dir.resolve("f.json"), st = dir.resolve("f.safetensors");
            StringWriter err = new StringWriter();
            int code = dev.descent.cli.Main.run(new String[] {"train", "--data", data.toString(), "--epochs", "1",
                    "--no-plot", "--quiet", "--save", json.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
            assertEquals(0, code, err.toString());
            Model model = ModelFile.read(json);
            assertEquals(Dtype.FLOAT32, model.trainedDtype());
            Matrix x = IdxDataset.test(data).head(300).featureMatrix();
            Map<String, Matrix> got = run(OnnxExport.toBytes(model, Dtype.FLOAT32), x, Dtype.FLOAT32);
            assertClose(model.predictProbabilities(x), got.get(OnnxExport.PROBABILITIES), TOL_FLOAT32, "probabilities");

            dev.descent.weights.WeightsFiles.write(model.network(), Dtype.FLOAT32, Map.of("format", "pt"), st);
            assertEquals(101_770 * 4, Files.size(st), 1000, "the parameters in float32 and a small header");
            assertTrue(Files.size(json) > 5 * Files.size(st), Files.size(json) + " bytes of JSON");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void dropoutIsLeftOutAsAtPrediction() throws OrtException {
        ExportedModels.Case c = new ExportedModels.Case("tanh", false, false, Dtype.FLOAT64);
        Model model = c.model();
        List<Layer> layers = new ArrayList<>(model.network().layers());
        layers.add(2, new Dropout(0.5, 7));
        Model withDropout = new Model(new Network(6, layers), model.classNames(), model.training());
        Matrix x = c.features(50);
        Map<String, Matrix> got = run(OnnxExport.toBytes(withDropout, Dtype.FLOAT64), x, Dtype.FLOAT64);
        assertClose(model.predictProbabilities(x), got.get(OnnxExport.PROBABILITIES), TOL_FLOAT64, "probabilities");
    }

    /** A layer of a user's own: swish, x·σ(x). It trains and is checked, but has no ONNX form here. */
    static final class Swish implements Layer {
        @Override
        public Matrix forward(Matrix x) {
            Matrix y = new Matrix(x.rows(), x.cols());
            for (int i = 0; i < x.size(); i++) {
                y.data()[i] = x.data()[i] / (1 + Math.exp(-x.data()[i]));
            }
            return y;
        }

        @Override
        public Matrix backward(Matrix dY) {
            throw new UnsupportedOperationException("not needed here");
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public List<dev.descent.layers.Parameter> parameters() {
            return List.of();
        }

        @Override
        public String kind() {
            return "swish";
        }
    }

    @Test
    void aLayerOfAUsersOwnIsRefusedByName() {
        Network net = Network.builder(3).dense(4).add(new Swish()).dense(2).build();
        Model model = new Model(net, List.of("a", "b"), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toBytes(model, Dtype.FLOAT64));
        assertEquals("layer 2 (swish) has no ONNX form here: ONNX export writes dense, convolution, max and average "
                + "pooling and flatten layers and the activations relu, sigmoid, tanh", e.getMessage());
    }

    @Test
    void aNetworkOfImagesInFloat64IsRefusedAsOnnxRuntimeCannotRunIt() {
        Model model = new ExportedModels.Case("relu", false, false, Dtype.FLOAT32, true).model();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toBytes(model, Dtype.FLOAT64));
        assertEquals("a network of images exports to ONNX in float32 only: ONNX Runtime has no float64 Conv or "
                + "AveragePool on the CPU; export it with --dtype float32", e.getMessage());
    }

    /**
     * Values in the units the network computes them in: the targets' standardisation applied again,
     * (v − mean) / std. In target units a float32 difference is bounded by the targets' scale, not
     * by 1: a float32 number near a mean of 100 is itself only resolved to 8e-6.
     */
    static Matrix inNetworkUnits(Model model, Matrix values) {
        Matrix v = values.copy();
        if (model.targetStandardization() != null) {
            model.targetStandardization().applyInPlace(v, v.rows());
        }
        return v;
    }

    /** Runs the model's bytes on x, as float or double; every output by name, in the graph's order. */
    static Map<String, Matrix> run(byte[] onnx, Matrix x, Dtype dtype) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {x.rows(), x.cols()};
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor in = dtype == Dtype.FLOAT32 ? OnnxTensor.createTensor(env, FloatBuffer.wrap(floats(x.data())), shape)
                     : OnnxTensor.createTensor(env, DoubleBuffer.wrap(x.data()), shape);
             OrtSession.Result r = s.run(Map.of(OnnxExport.FEATURES, in))) {
            Map<String, Matrix> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : r) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                long[] dims = t.getInfo().getShape();
                Matrix m = new Matrix((int) dims[0], (int) dims[1]);
                if (dtype == Dtype.FLOAT32) {
                    FloatBuffer f = t.getFloatBuffer();
                    for (int i = 0; i < m.size(); i++) {
                        m.data()[i] = f.get(i);
                    }
                } else {
                    t.getDoubleBuffer().get(m.data());
                }
                out.put(e.getKey(), m);
            }
            return out;
        }
    }

    static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** |got − want| ≤ tol·max(1, |want|) for every entry, the same shape. */
    static void assertClose(Matrix want, Matrix got, double tol, String what) {
        assertEquals(want.shape(), got.shape(), what);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < want.size(); i++) {
            double w = want.data()[i], e = Math.abs(got.data()[i] - w) / Math.max(1, Math.abs(w));
            if (e > worst) {
                worst = e;
                at = i;
            }
        }
        assertTrue(worst <= tol, what + ": worst difference " + worst + " at entry " + at + " (" + want.data()[Math.max(at, 0)]
                + " against " + got.data()[Math.max(at, 0)] + "), more than " + tol);
    }
}
