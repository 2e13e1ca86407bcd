package dev.descent.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.Python;
import dev.descent.cli.Main;
import dev.descent.data.SeedExample;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Descent → safetensors → PyTorch → safetensors → Descent, through the README's own five-line
 * program ({@code src/test/python/roundtrip.py}): the parameters come back bit for bit, in float32
 * and float64, and PyTorch's network computes Descent's probabilities from them (so the transpose
 * is right, not merely undone twice). Then weights PyTorch trained itself are checked by
 * {@code descent gradcheck}. Skipped, saying why, without a Python that imports torch and
 * safetensors (.ci/run installs them where pip can).
 */
class TorchRoundTripTest {
    static final Path PROGRAM = Path.of("src/test/python/roundtrip.py");
    static String python;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPython() {
        python = Python.with("torch", "safetensors");
    }

    static String descent(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, String.join(" ", args) + ": " + err);
        return out.toString();
    }

    @Test
    void theReadmeShowsTheProgramThisTestRuns() throws Exception {
        Matcher m = Pattern.compile("<!-- " + Pattern.quote(PROGRAM.toString()) + " -->\\n```python\\n(.*?)```",
                Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        assertTrue(m.find(), "the README shows " + PROGRAM + " under <!-- " + PROGRAM + " -->");
        assertEquals(Files.readString(PROGRAM), m.group(1));
        assertEquals(5, Files.readAllLines(PROGRAM).size(), "five lines");
    }

    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void theRoundTripThroughPyTorchIsBitExactAndPyTorchComputesDescentsOutputs(String dtype) throws Exception {
        assumeTrue(python != null, Python.missing("torch", "safetensors"));
        Path model = dir.resolve("seed.json"), out = dir.resolve("out.safetensors"), back = dir.resolve("back.safetensors");
        descent("train", "--dtype", dtype, "--save", model.toString(), "--no-plot", "--quiet");
        descent("export", "--model", model.toString(), "--safetensors", out.toString());

        Python.Run r = Python.run(python, 300, PROGRAM.toString(), out.toString(), back.toString());
        assertEquals(0, r.code(), r.out());
        Model trained = ModelFile.read(model);
        Network loaded = new Architecture(5, java.util.List.of(20), "relu", 10).build();
        WeightsFiles.load(loaded, back);
        assertEquals(trained.network().snapshot(), loaded.snapshot(), "every parameter, bit for bit");

        Matrix x = SeedExample.dataset().featureMatrix();
        Path rows = Files.writeString(dir.resolve("x.json"), new ObjectMapper().writeValueAsString(toRows(x)));
        Python.Run p = Python.run(python, 300, "src/test/python/torch_outputs.py", back.toString(), "20", rows.toString());
        assertEquals(0, p.code(), p.out());
        JsonNode torch = new ObjectMapper().readTree(p.out());
        Matrix want = trained.predictProbabilities(x);
        double tol = dtype.equals("float32") ? 1e-6 : 1e-12;
        for (int i = 0; i < want.rows(); i++) {
            for (int j = 0; j < want.cols(); j++) {
                assertEquals(want.get(i, j), torch.get(i).get(j).doubleValue(), tol, "row " + i + ", class " + j);
            }
        }
    }

    /**
     * A convolutional network's weights load, strictly, into PyTorch's nn.Sequential of the same layers
     * (nn.Conv2d, nn.MaxPool2d, nn.Flatten, nn.Linear), which computes Descent's probabilities from
     * them, so the filters' layout and the flatten's order are PyTorch's; saved by PyTorch, they come
     * back bit for bit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"float32", "float64"})
    void aConvolutionalNetworksWeightsArePyTorchsNnConv2d(String dtype) throws Exception {
        assumeTrue(python != null, Python.missing("torch", "safetensors"));
        Path csv = dir.resolve("bars.csv"), model = dir.resolve("cnn.json"), out = dir.resolve("cnn.safetensors"),
                back = dir.resolve("back.safetensors");
        StringBuilder sb = new StringBuilder();
        java.util.Random rng = new java.util.Random(2);
        for (int j = 0; j < 36; j++) {
            sb.append('p').append(j).append(',');
        }
        sb.append("label\n");
        for (int i = 0; i < 100; i++) { // 1x6x6 images of noise, two classes
            for (int j = 0; j < 36; j++) {
                sb.append(String.format(java.util.Locale.ROOT, "%.4f,", rng.nextGaussian()));
            }
            sb.append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Files.writeString(csv, sb);
        descent("train", "--data", csv.toString(), "--input-shape", "1,6,6", "--layers", "conv4k3p1,pool2,8",
                "--dtype", dtype, "--epochs", "3", "--save", model.toString(), "--no-plot", "--quiet");
        descent("export", "--model", model.toString(), "--safetensors", out.toString());

        Model trained = ModelFile.read(model);
        dev.descent.data.Dataset data = dev.descent.data.CsvDataset.read(csv);
        Matrix x = data.featureMatrix();
        Path rows = Files.writeString(dir.resolve("x.json"), new ObjectMapper().writeValueAsString(toRows(x)));
        Python.Run p = Python.run(python, 300, "src/test/python/torch_conv_outputs.py", out.toString(), rows.toString(),
                back.toString());
        assertEquals(0, p.code(), p.out());
        // the last line: PyTorch may warn first, on a CPU its convolution library does not support (NNPACK)
        JsonNode torch = new ObjectMapper().readTree(p.out().strip().lines().reduce((a, b) -> b).orElse(""));
        Matrix want = trained.predictProbabilities(x);
        double tol = dtype.equals("float32") ? 1e-6 : 1e-12;
        for (int i = 0; i < want.rows(); i++) {
            for (int j = 0; j < want.cols(); j++) {
                assertEquals(want.get(i, j), torch.get(i).get(j).doubleValue(), tol, "row " + i + ", class " + j);
            }
        }
        Network loaded = trained.network().copy();
        WeightsFiles.load(loaded, back);
        assertEquals(trained.network().snapshot(), loaded.snapshot(), "every parameter, bit for bit");
    }

    @Test
    void weightsPyTorchTrainedAreCheckedHere() throws Exception {
        assumeTrue(python != null, Python.missing("torch", "safetensors"));
        Path weights = dir.resolve("torch.safetensors");
        Python.Run r = Python.run(python, 300, "src/test/python/torch_train.py", weights.toString());
        assertEquals(0, r.code(), r.out());
        String check = descent("gradcheck", "--init", weights.toString(), "--layers", "20");
        assertTrue(check.contains("PASS: backprop and central differences agree on every tensor"), check);
        assertTrue(check.contains("init       weights file " + weights + " (torch.nn.Sequential names)"), check);
    }

    static double[][] toRows(Matrix x) {
        double[][] rows = new double[x.rows()][x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                rows[i][j] = x.get(i, j);
            }
        }
        return rows;
    }
}
