package dev.descent.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.init.Initializer;
import dev.descent.layers.Conv2d;
import dev.descent.layers.Dense;
import dev.descent.layers.Shape;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Dtype;
import dev.descent.tensor.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameters out to safetensors and npz under nn.Sequential's names, and back, checked against the network. */
class WeightsFilesTest {
    @TempDir
    Path dir;

    static Network network(long seed) {
        Network net = new Architecture(5, List.of(7, 4), "tanh", 3).build();
        Initializer.HE.initialize(net, seed);
        for (var p : net.parameters()) { // nonzero biases, so that a bias lost or misplaced shows
            double[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] += p.name().startsWith("b") ? 0.01 * (i + 1) : 0;
            }
        }
        return net;
    }

    @ParameterizedTest
    @CsvSource({"w.safetensors, FLOAT64", "w.npz, FLOAT64", "w.safetensors, FLOAT32", "w.npz, FLOAT32"})
    void writtenAndReadBackIsTheSameParameters(String name, Dtype dtype) throws Exception {
        Network net = network(3);
        Path file = dir.resolve(name);
        WeightsFiles.write(net, dtype, Map.of("format", "pt"), file);
        Network back = new Architecture(5, List.of(7, 4), "tanh", 3).build();
        WeightsFiles.load(back, file);
        for (int t = 0; t < net.parameters().size(); t++) {
            double[] want = net.parameters().get(t).value().data().clone();
            if (dtype == Dtype.FLOAT32) {
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) want[i];
                }
            }
            assertArrayEquals(want, back.parameters().get(t).value().data(), 0.0, net.parameters().get(t).name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"w.safetensors", "w.npz"})
    void namesAreNnSequentialsAndWeightsAreOutByIn(String name) throws Exception {
        Network net = network(4);
        Path file = dir.resolve(name);
        WeightsFiles.write(net, Dtype.FLOAT64, Map.of(), file);
        try (TensorFile f = WeightsFiles.open(file)) {
            assertEquals(List.of("0.weight [7, 5]", "0.bias [7]", "2.weight [4, 7]", "2.bias [4]", "4.weight [3, 4]",
                    "4.bias [3]"), f.tensors().stream().map(t -> t.name() + " " + t.shapeText()).toList());
            double[] w = f.read(f.tensors().get(2)); // 2.weight: (out 4, in 7)
            Matrix descent = ((Dense) net.layers().get(2)).weights().value(); // (in 7, out 4)
            for (int o = 0; o < 4; o++) {
                for (int i = 0; i < 7; i++) {
                    assertEquals(descent.get(i, o), w[o * 7 + i], 0.0, "2.weight[" + o + "][" + i + "]");
                }
            }
        }
    }

    /** nn.Sequential(Linear(2, 3), ReLU(), Linear(3, 2)) as safetensors and numpy wrote it (src/test/resources/weights). */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-f32.safetensors", "tiny-f64.safetensors", "tiny-f32.npz", "tiny-f64-compressed.npz",
            "tiny-fortran.npz"})
    void filesWrittenByTheLibrariesThemselvesLoad(String fixture) throws Exception {
        Network net = new Architecture(2, List.of(3), "relu", 2).build();
        WeightsFiles.load(net, Path.of("src/test/resources/weights", fixture));
        // torch: 0.weight = [[1, -1], [0.5, 2], [-0.25, 0.75]] (out, in); Descent's W1 is its transpose.
        assertArrayEquals(new double[] {1, 0.5, -0.25, -1, 2, 0.75}, net.parameters().get(0).value().data(), 0.0);
        assertArrayEquals(new double[] {0, -1, 0.125}, net.parameters().get(1).value().data(), 0.0);
        assertArrayEquals(new double[] {1, 0, 0, 1, -1, 0.5}, net.parameters().get(2).value().data(), 0.0);
        assertArrayEquals(new double[] {0.25, -0.5}, net.parameters().get(3).value().data(), 0.0);
        // x = [1, 1]: hidden relu([0, 1.5, 0.625]) and logits [0.25 - 0.625, 1.5 + 0.3125 - 0.5]
        Matrix logits = net.forward(new Matrix(1, 2, new double[] {1, 1}));
        assertArrayEquals(new double[] {-0.375, 1.3125}, logits.data(), 1e-7);
    }

    @Test
    void aShapeThatDoesNotFitNamesTheTensorBothShapesAndWhatTheFileHolds() throws Exception {
        Path file = dir.resolve("w.safetensors");
        WeightsFiles.write(new Architecture(5, List.of(64), "relu", 3).build(), Dtype.FLOAT32, Map.of(), file);
        Network net = new Architecture(5, List.of(128), "relu", 3).build();
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.load(net, file));
        assertEquals(file + ": 0.weight has shape [64, 5] but 5 -> 128 relu -> 3 needs [128, 5] (the file holds the "
                + "weights of 5 -> 64 -> 3)", e.getMessage());
    }

    @Test
    void aMissingTensorNamesItAndWhatTheFileHas() throws Exception {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(List.of(new NamedArray("0.weight", new int[] {3, 2}, new double[6]),
                new NamedArray("0.bias", new int[] {3}, new double[3]),
                new NamedArray("3.weight", new int[] {2, 3}, new double[6]),
                new NamedArray("3.bias", new int[] {2}, new double[2])), Dtype.FLOAT32, Map.of(), file);
        Network net = new Architecture(2, List.of(3), "relu", 2).build();
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.load(net, file));
        assertEquals(file + " has no tensor 2.weight, which 2 -> 3 relu -> 2 needs with shape [2, 3]; it has 0.weight, "
                + "0.bias, 3.weight, 3.bias", e.getMessage());
    }

    @Test
    void aTensorTheNetworkHasNoPlaceForIsRefused() throws Exception {
        Path file = dir.resolve("w.npz");
        WeightsFiles.write(new Architecture(2, List.of(3, 3), "relu", 2).build(), Dtype.FLOAT64, Map.of(), file);
        Network net = new Architecture(2, List.of(3), "relu", 2).build();
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.load(net, file));
        assertTrue(e.getMessage().startsWith(file + ": 2.weight has shape [3, 3] but 2 -> 3 relu -> 2 needs [2, 3]"),
                e.getMessage());
    }

    @Test
    void aParameterThatIsNotFiniteIsRefusedWhereItIs() throws Exception {
        Network bad = new Architecture(2, List.of(3), "relu", 2).build();
        bad.parameters().get(0).value().data()[1] = Double.NaN; // W1[0][1]: in 0, out 1, so 0.weight[1][0]
        Path file = dir.resolve("w.safetensors");
        WeightsFiles.write(bad, Dtype.FLOAT32, Map.of(), file);
        WeightsFileException e = assertThrows(WeightsFileException.class,
                () -> WeightsFiles.load(new Architecture(2, List.of(3), "relu", 2).build(), file));
        assertEquals(file + ": 0.weight[1][0] is NaN; parameters must be finite", e.getMessage());
    }

    /** 2x6x6 images -> conv3k3p1 relu -> pool2 -> flatten -> 4 relu -> 2: nn.Sequential's modules 0 to 6. */
    static Network convNetwork() {
        return Network.builder(new Shape(2, 6, 6)).conv(3, 3, 1, 1).activation("relu").maxPool(2, 2).dense(4)
                .activation("relu").dense(2).build();
    }

    /**
     * A convolution is nn.Conv2d: its filters F x C x k x k in Descent's own order (a row of W is
     * PyTorch's weight[f], flattened), its bias F; the dense layers after the flatten keep their
     * places as nn.Sequential numbers them, and everything comes back bit for bit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"w.safetensors", "w.npz"})
    void aConvolutionsFiltersAreNnConv2dsWeightAndComeBack(String name) throws Exception {
        Network net = convNetwork();
        Initializer.PYTORCH.initialize(net, 7);
        Path file = dir.resolve(name);
        WeightsFiles.write(net, Dtype.FLOAT64, Map.of(), file);
        try (TensorFile f = WeightsFiles.open(file)) {
            assertEquals(List.of("0.weight [3, 2, 3, 3]", "0.bias [3]", "4.weight [4, 27]", "4.bias [4]",
                    "6.weight [2, 4]", "6.bias [2]"), f.tensors().stream().map(t -> t.name() + " " + t.shapeText())
                    .toList());
            Conv2d conv = (Conv2d) net.layers().get(0);
            assertArrayEquals(conv.weights().value().data(), f.read(f.tensors().get(0)), 0.0, "0.weight as Descent keeps it");
        }
        Network back = convNetwork();
        WeightsFiles.load(back, file);
        assertEquals(net.snapshot(), back.snapshot(), "every parameter, bit for bit");
    }

    @Test
    void aFilterThatIsNotFiniteIsRefusedWhereItIs() throws Exception {
        Network bad = convNetwork();
        bad.parameters().get(0).value().data()[9 + 4] = Double.NaN; // filter 0, channel 1, row 1, column 1
        Path file = dir.resolve("w.npz");
        WeightsFiles.write(bad, Dtype.FLOAT64, Map.of(), file);
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.load(convNetwork(), file));
        assertEquals(file + ": 0.weight[0][1][1][1] is NaN; parameters must be finite", e.getMessage());
    }

    @Test
    void convolutionsOfAnotherSizeAreRefusedNamingBothShapes() throws Exception {
        Path file = dir.resolve("w.safetensors");
        WeightsFiles.write(convNetwork(), Dtype.FLOAT32, Map.of(), file);
        Network wider = Network.builder(new Shape(2, 6, 6)).conv(5, 3, 1, 1).activation("relu").maxPool(2, 2).dense(4)
                .activation("relu").dense(2).build();
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> WeightsFiles.load(wider, file));
        assertEquals(file + ": 0.weight has shape [3, 2, 3, 3] but 2x6x6 -> conv5k3p1 relu -> pool2 -> flatten -> 4 "
                + "relu -> 2 needs [5, 2, 3, 3]", e.getMessage());
    }

    @Test
    void theSameParametersMakeTheSameBytes() throws Exception {
        Path a = dir.resolve("a.npz"), b = dir.resolve("b.npz");
        WeightsFiles.write(network(5), Dtype.FLOAT32, Map.of(), a);
        Thread.sleep(1100); // a zip entry's time has a resolution of 2 s: cross at least one second
        WeightsFiles.write(network(5), Dtype.FLOAT32, Map.of(), b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void safetensorsHeaderIsPaddedToEightBytes() throws Exception {
        Path file = dir.resolve("w.safetensors");
        WeightsFiles.write(network(6), Dtype.FLOAT32, Map.of("format", "pt"), file);
        byte[] bytes = Files.readAllBytes(file);
        long n = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        assertEquals(8 + n + 4L * network(6).parameterCount(), bytes.length);
    }
}
