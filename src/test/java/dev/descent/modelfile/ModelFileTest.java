package dev.descent.modelfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.SeedExample;
import dev.descent.init.Initializer;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void savedAndReloadedModelIsIdentical() throws Exception {
        Network net = new Architecture(5, List.of(20, 7), "tanh", 10).build();
        Initializer.HE.initialize(net, 99);
        Path file = dir.resolve("m.json");
        ModelFile.write(new Model(net, SeedExample.dataset().classNames(), Map.of("seed", 99)), file);

        Model back = ModelFile.read(file);
        assertEquals(net.snapshot(), back.network().snapshot(), "parameters bit for bit");
        assertEquals(net.describe(), back.network().describe());
        Matrix x = SeedExample.dataset().featureMatrix();
        assertEquals(net.predictProbabilities(x), back.network().predictProbabilities(x));
        assertEquals(99, ((Number) back.training().get("seed")).intValue());
    }

    /** A file written by format version 1 must keep loading and predicting the same. */
    @Test
    void aByteOrderMarkIsSkippedNotReadAsAnInvisibleCharacter() throws Exception {
        byte[] golden = Files.readAllBytes(Path.of("src/test/resources/golden-v1.json"));
        byte[] marked = new byte[golden.length + 3];
        marked[0] = (byte) 0xEF;
        marked[1] = (byte) 0xBB;
        marked[2] = (byte) 0xBF;
        System.arraycopy(golden, 0, marked, 3, golden.length);
        Path file = Files.write(dir.resolve("bom.json"), marked);
        assertEquals(List.of("cat", "dog", "bird"), ModelFile.read(file).classNames());
    }

    @Test
    void goldenVersion1FilePredictsAsComputedByHand() throws Exception {
        Model m = ModelFile.read(Path.of("src/test/resources/golden-v1.json"));
        assertEquals(List.of("cat", "dog", "bird"), m.classNames());
        // x = [1 1]: hidden = relu([1 + 0.5, -1 + 2 - 1]) = [1.5, 0]
        // logits = [1.5 + 0.25, 0, -1.5] = [1.75, 0, -1.5]
        Matrix logits = m.network().forward(Matrix.rowVector(1, 1));
        assertArrayEquals(new double[] {1.75, 0, -1.5}, logits.data(), 0.0);
        assertArrayEquals(new int[] {0}, m.network().predictClasses(Matrix.rowVector(1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON | {\"format\": | not valid JSON",
        "wrong format | {\"format\": \"onnx\", \"version\": 1} | not a Descent model: \"format\" is \"onnx\", expected \"descent-model\"",
        "future version | {\"format\": \"descent-model\", \"version\": 3, \"inputs\": 1, \"layers\": []} | model format version 3 is not supported",
        "no layers | {\"format\": \"descent-model\", \"version\": 1, \"inputs\": 1, \"layers\": []} | \"layers\" must be a non-empty array",
        "shapes do not chain | {\"format\": \"descent-model\", \"version\": 1, \"inputs\": 3, \"layers\": [{\"type\": \"dense\", \"weights\": [[1],[2]], \"bias\": [0]}]} | layers[0]: weights have 2 rows but the layer before gives 3 values; shapes do not chain",
        "ragged weights | {\"format\": \"descent-model\", \"version\": 1, \"inputs\": 2, \"layers\": [{\"type\": \"dense\", \"weights\": [[1, 2],[2]], \"bias\": [0, 0]}]} | layers[0].weights[1] has 1 values, expected 2",
        "string weight | {\"format\": \"descent-model\", \"version\": 1, \"inputs\": 1, \"layers\": [{\"type\": \"dense\", \"weights\": [[\"NaN\"]], \"bias\": [0]}]} | layers[0].weights[0][0] must be a number, found \"NaN\"",
        "unknown layer | {\"format\": \"descent-model\", \"version\": 1, \"inputs\": 1, \"layers\": [{\"type\": \"java.lang.Runtime\"}]} | layers[0]: unknown layer type \"java.lang.Runtime\"",
        "wrong bias | {\"format\": \"descent-model\", \"version\": 1, \"inputs\": 1, \"layers\": [{\"type\": \"dense\", \"weights\": [[1, 2]], \"bias\": [0]}]} | layers[0].bias must be an array of 2 numbers, found 1 values",
    })
    void badFilesGetAMessageNamingThePlace(String name, String json, String expected) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aNaNWeightIsNeverSaved() {
        Network net = new Architecture(1, List.of(), "relu", 2).build();
        net.parameters().get(0).value().set(0, 0, Double.NaN);
        Path file = dir.resolve("nan.json");
        assertThrows(IllegalArgumentException.class,
                () -> ModelFile.write(new Model(net, List.of("a", "b"), Map.of()), file));
        assertTrue(Files.notExists(file));
    }

    @Test
    void nothingIsWrittenThatTheReaderWouldRefuse() throws Exception {
        Network net = new Architecture(2, List.of(), "relu", 2).build();
        Path file = dir.resolve("long.json");
        String longest = "n".repeat(ModelFile.MAX_STRING), tooLong = longest + "n";
        ModelFile.write(new Model(net, List.of("a", longest), Map.of()), file);
        assertEquals(longest, ModelFile.read(file).classNames().get(1), "the longest name the reader takes is written");
        Files.delete(file);
        IOException e = assertThrows(IOException.class,
                () -> ModelFile.write(new Model(net, List.of("a", tooLong), Map.of()), file));
        assertTrue(e.getMessage().startsWith("class 2 of 2 is 'nnnn"), e.getMessage());
        assertThrows(IOException.class, () -> ModelFile.write(new Model(net, List.of("a", "b"), Map.of("data", tooLong)),
                file));
        net.parameters().get(0).value().set(0, 0, 1e308);
        net.parameters().get(0).value().set(1, 0, 1e308);
        IOException overflow = assertThrows(IOException.class,
                () -> ModelFile.write(new Model(net, List.of("a", "b"), Map.of()), file));
        assertTrue(overflow.getMessage().startsWith("its outputs overflow"), overflow.getMessage());
        assertTrue(Files.notExists(file));
        assertEquals(ModelFile.MAX_STRING, ModelFile.LIMITS.maxStringLength(), "writer and reader share one bound");
    }
}
