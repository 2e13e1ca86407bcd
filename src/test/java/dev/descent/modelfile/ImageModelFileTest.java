package dev.descent.modelfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.init.Initializer;
import dev.descent.layers.Shape;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Version 2 of the model format: images, their layers, and version 1 left as it was. */
class ImageModelFileTest {
    @TempDir
    Path dir;

    static Network cnn() {
        Network net = Network.builder(new Shape(2, 8, 8)).conv(4, 3, 1, 1).activation("relu").maxPool(2, 2)
                .conv(3, 3, 2, 1).activation("tanh").avgPool(2, 2).flatten().dense(5).activation("relu").dense(3)
                .build();
        Initializer.PYTORCH.initialize(net, 7);
        return net;
    }

    @Test
    void aConvolutionalModelSavedAndReloadedIsIdentical() throws Exception {
        Network net = cnn();
        Path file = dir.resolve("cnn.json");
        ModelFile.write(new Model(net, List.of("a", "b", "c"), Map.of("seed", 7)), file);
        Model back = ModelFile.read(file);
        assertEquals(net.snapshot(), back.network().snapshot(), "parameters bit for bit");
        assertEquals(net.describe(), back.network().describe());
        assertEquals(new Shape(2, 8, 8), back.network().inputShape());
        Matrix x = dev.descent.Checks.random(new Random(3), 6, 128);
        assertEquals(net.predictProbabilities(x), back.network().predictProbabilities(x));
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\n  \"format\" : \"descent-model\",\n  \"version\" : 2,\n  \"inputs\" : 128,\n"
                + "  \"inputShape\" : [2,8,8],\n"), text.substring(0, 120));
    }

    /** A model of dense layers is still written as version 1, which older Descents read. */
    @Test
    void aDenseModelStaysVersionOne() throws Exception {
        Network net = new Architecture(5, List.of(4), "relu", 2).build();
        Path file = dir.resolve("dense.json");
        ModelFile.write(new Model(net, List.of("x", "y"), Map.of()), file);
        String text = Files.readString(file);
        assertTrue(text.contains("\"version\" : 1"), text);
        assertTrue(!text.contains("inputShape"), text);
    }

    /** The golden version 2 file, computed by hand, must keep loading and predicting the same. */
    @Test
    void goldenVersion2FilePredictsAsComputedByHand() throws Exception {
        Model m = ModelFile.read(Path.of("src/test/resources/golden-v2-conv.json"));
        // x = 1..9 as 3x3; W = [[1 2] [3 4]], b = 0.5: conv = [37.5 47.5 67.5 77.5]; relu; max 77.5;
        // logits = [0.775, -0.775 + 0.25]
        Matrix x = new Matrix(1, 9, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertArrayEquals(new double[] {0.775, -0.525}, m.network().forward(x).data(), 1e-12);
        assertEquals(List.of("up"), m.predictClasses(x));
        assertEquals("1x3x3 -> conv1k2 relu -> pool2 -> flatten -> 2 softmax", m.network().describe());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "conv in version 1 | \"version\": 1, \"inputs\": 9, \"layers\": [{\"type\": \"conv\", \"filters\": 1, \"kernel\": 2, \"stride\": 1, \"padding\": 0, \"weights\": [[1,2,3,4]], \"bias\": [0]}, {\"type\": \"flatten\"}, {\"type\": \"dense\", \"weights\": [[1],[1],[1],[1]], \"bias\": [0]}] | layers[0]: a conv layer needs version 2, but the file is version 1",
        "inputShape in version 1 | \"version\": 1, \"inputs\": 9, \"inputShape\": [1,3,3], \"layers\": [{\"type\": \"dense\", \"weights\": [[1],[1],[1],[1],[1],[1],[1],[1],[1]], \"bias\": [0]}] | \"inputShape\" needs version 2, but the file is version 1",
        "shape against inputs | \"version\": 2, \"inputs\": 9, \"inputShape\": [1,3,4], \"layers\": [{\"type\": \"flatten\"}] | \"inputShape\" 1x3x4 is 12 values, but \"inputs\" is 9",
        "conv without a shape | \"version\": 2, \"inputs\": 9, \"layers\": [{\"type\": \"conv\", \"filters\": 1, \"kernel\": 2, \"stride\": 1, \"weights\": [[1,2,3,4]], \"bias\": [0]}] | layers[0]: a conv layer takes images, but the file has no \"inputShape\"",
        "kernel too large | \"version\": 2, \"inputs\": 9, \"inputShape\": [1,3,3], \"layers\": [{\"type\": \"conv\", \"filters\": 1, \"kernel\": 4, \"stride\": 1, \"weights\": [[1]], \"bias\": [0]}] | layers[0]: a conv layer does not fit its input 1x3x3: its 4x4 kernel is larger than the 3x3 image padded by 0 to 3x3",
        "filter of the wrong size | \"version\": 2, \"inputs\": 9, \"inputShape\": [1,3,3], \"layers\": [{\"type\": \"conv\", \"filters\": 1, \"kernel\": 2, \"stride\": 1, \"weights\": [[1,2,3]], \"bias\": [0]}] | layers[0].weights[0] has 3 values, expected 4 (channels x kernel x kernel: 1x2x2)",
        "window that does not tile | \"version\": 2, \"inputs\": 9, \"inputShape\": [1,3,3], \"layers\": [{\"type\": \"maxpool\", \"size\": 2, \"stride\": 2}] | layers[0]: a maxpool layer does not fit its input 1x3x3: a 2x2 window with stride 2 does not tile 3x3: 3 − 2 is not a multiple of 2, and pooling has no padding",
        "pooling after dense | \"version\": 2, \"inputs\": 4, \"inputShape\": [1,2,2], \"layers\": [{\"type\": \"flatten\"}, {\"type\": \"avgpool\", \"size\": 2, \"stride\": 2}] | layers[1]: a avgpool layer takes images, but the layer before gives a row",
        "unknown field | \"version\": 2, \"inputs\": 4, \"inputShape\": [1,2,2], \"layers\": [{\"type\": \"maxpool\", \"size\": 2, \"stride\": 2, \"padding\": 1}] | layers[0]: unknown field \"padding\" in a maxpool layer",
    })
    void aBrokenImageModelIsRefusedNamingThePlace(String name, String body, String message) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"descent-model\", " + body + "}");
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertEquals(file + ": " + message, e.getMessage());
    }
}
