package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.layers.Shape;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Convolutional networks from the command line: the layer grammar, the shapes, the model file, its uses. */
class ImageLayersCommandTest {
    @TempDir
    static Path dir;
    static Path bars;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * 6x6 images of one bar on noise: a vertical bar ("v") or a horizontal one ("h") at a random
     * place, which no single pixel tells apart but a small filter does.
     */
    static void writeBars(Path file, int rows, long seed) throws Exception {
        Random rng = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 36; j++) {
            sb.append('p').append(j).append(',');
        }
        sb.append("label\n");
        for (int i = 0; i < rows; i++) {
            boolean vertical = i % 2 == 0;
            int at = rng.nextInt(6);
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    double v = (vertical ? x == at : y == at) ? 1 : 0;
                    sb.append(String.format(Locale.ROOT, "%.3f", v + 0.2 * rng.nextGaussian())).append(',');
                }
            }
            sb.append(vertical ? "v" : "h").append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    @BeforeAll
    static void data() throws Exception {
        bars = dir.resolve("bars.csv");
        writeBars(bars, 400, 1);
    }

    @Test
    void aConvolutionalNetworkTrainsSavesAndIsUsedLikeAnyOther() throws Exception {
        Path model = dir.resolve("cnn.json"), predictions = dir.resolve("p.csv");
        Result r = run("train", "--data", bars.toString(), "--input-shape", "1,6,6", "--layers", "conv4k3p1,pool2,8",
                "--optimizer", "adam", "--lr", "0.01", "--epochs", "15", "--batch", "32", "--no-plot", "--save",
                model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("network    1x6x6 -> conv4k3p1 relu -> pool2 -> flatten -> 8 relu -> 2 softmax  "
                + "(354 parameters)"), r.out());
        String table = String.join("\n",
                "             layer      output  parameters                    count",
                "             input       1x6x6",
                "             1 conv      4x6x6  conv1.W 4x1x3x3, conv1.b 1x4     40",
                "             2 relu      4x6x6",
                "             3 maxpool   4x3x3",
                "             4 flatten      36",
                "             5 dense         8  W1 36x8, b1 1x8                 296",
                "             6 relu          8",
                "             7 dense         2  W2 8x2, b2 1x2                   18",
                "             softmax         2",
                "             total                                              354");
        assertTrue(r.out().contains(table), r.out());
        Model m = ModelFile.read(model);
        assertEquals(new Shape(1, 6, 6), m.network().inputShape());
        assertEquals("float32", m.training().get("dtype"));
        double accuracy = ((Number) m.training().get("finalAccuracy")).doubleValue();
        assertTrue(accuracy > 0.95, "a filter tells the bars apart: " + accuracy);

        Result summary = run("summary", "--model", model.toString());
        assertEquals(0, summary.code(), summary.err());
        assertTrue(summary.out().contains("1 conv      4x6x6  conv1.W 4x1x3x3, conv1.b 1x4     40"), summary.out());

        Result evaluated = run("evaluate", "--model", model.toString(), "--data", bars.toString(), "--json");
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().contains("\"accuracy\""), evaluated.out());

        Result predicted = run("predict", "--model", model.toString(), "--data", bars.toString(), "--out",
                predictions.toString());
        assertEquals(0, predicted.code(), predicted.err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("row,class,p_h,p_v", lines.get(0));
        assertEquals(401, lines.size());
    }

    @Test
    void theGradientCheckPassesOnAConvolutionalNetworkTensorByTensor() {
        Result r = run("gradcheck", "--data", bars.toString(), "--input-shape", "1,6,6", "--layers",
                "conv3k3p1,pool2,conv2k2s1,avgpool2,4", "--samples", "6", "--activation", "tanh");
        assertEquals(0, r.code(), r.out() + r.err());
        for (String tensor : List.of("conv1.W", "conv1.b", "conv2.W", "conv2.b", "W1", "b1", "W2", "b2")) {
            assertTrue(r.out().contains(tensor), tensor + "\n" + r.out());
        }
        assertTrue(r.out().contains("PASS: backprop and central differences agree on every tensor"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no shape for a CSV | --layers conv4k3 | descent train: --layers conv4k3: convolutions and pooling need images; give the shape of a row with --input-shape C,H,W (the data has 36 features a row)",
        "a shape of other size | --layers conv4k3 --input-shape 1,6,5 | descent train: --input-shape 1,6,5: 1x6x5 is 30 values a row, but the data has 36 features",
        "a malformed shape | --layers conv4k3 --input-shape 1x6 | descent train: --input-shape: '1x6' is not an image shape C,H,W of positive whole numbers, such as 1,28,28",
        "a kernel too large | --input-shape 1,6,6 --layers conv4k3,pool2,conv4k3 | descent train: --layers conv4k3,pool2,conv4k3: item 3, 'conv4k3', does not fit its input 4x2x2: its 3x3 kernel is larger than the 2x2 image padded by 0 to 2x2",
        "a window that does not tile | --input-shape 1,6,6 --layers conv4k2,pool2 | descent train: --layers conv4k2,pool2: item 2, 'pool2', does not fit its input 4x5x5: a 2x2 window with stride 2 does not tile 5x5: 5 − 2 is not a multiple of 2, and pooling has no padding",
        "pooling after dense | --input-shape 1,6,6 --layers 8,pool2 | descent train: --layers: '8,pool2' has 'pool2' (item 2) after '8' (item 1): convolutions and pooling work on the image, so they come before the dense layers and flatten",
        "a stride twice | --input-shape 1,6,6 --layers conv4k3s1s2 | descent train: --layers: 'conv4k3s1s2' is not a list of layers: item 1, 'conv4k3s1s2', gives its stride twice",
        "no filters | --input-shape 1,6,6 --layers conv0k3 | descent train: --layers: 'conv0k3' is not a list of layers: item 1, 'conv0k3', has a filter count of 0; it must be between 1 and 1000000",
    })
    void aNetworkThatDoesNotFitIsRefusedBeforeTrainingInOneLine(String name, String flags, String message)
            throws Exception {
        Path out = Files.createDirectories(dir.resolve("refused-" + name.replace(' ', '-')));
        List<String> args = new ArrayList<>(List.of("train", "--data", bars.toString()));
        args.addAll(List.of(flags.split(" ")));
        args.addAll(List.of("--save", out.resolve("m.json").toString(), "--plot", out.resolve("l.png").toString()));
        Result r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.out());
        assertEquals(message, r.err().strip());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(0, files.count(), "no output file");
        }
    }

    /**
     * A convolutional network's parameters go out as nn.Sequential's (nn.Conv2d's weight F x C x k x k)
     * and come back in through --init with the same layers: training on from them is training on
     * from the model file, bit for bit, in either format; layers of another size are one line.
     */
    @Test
    void aConvolutionalNetworksWeightsExportAndTrainOnAsItsModelFileDoes() throws Exception {
        Path model = dir.resolve("export-cnn.json"), st = dir.resolve("cnn.safetensors"), npz = dir.resolve("cnn.npz");
        String[] layers = {"--input-shape", "1,6,6", "--layers", "conv4k3p1,pool2,8"};
        Result trained = run(flags(List.of("train", "--data", bars.toString(), "--epochs", "3", "--no-plot", "--quiet",
                "--save", model.toString()), layers));
        assertEquals(0, trained.code(), trained.err());
        Result exported = run("export", "--model", model.toString(), "--safetensors", st.toString(), "--npz",
                npz.toString());
        assertEquals(0, exported.code(), exported.err());
        String names = ": 0.weight [4, 1, 3, 3], 0.bias [4], 4.weight [8, 36], 4.bias [8], 6.weight [2, 8], 6.bias [2]";
        assertTrue(exported.out().contains(st + ", ") && exported.out().contains(names), exported.out());

        List<String> onward = List.of("train", "--data", bars.toString(), "--epochs", "1", "--no-plot", "--quiet");
        Path fromModel = dir.resolve("from-model.json");
        Result r = run(flags(onward, "--init", model.toString(), "--save", fromModel.toString()));
        assertEquals(0, r.code(), r.err());
        for (Path weights : List.of(st, npz)) {
            Path fromWeights = dir.resolve("from-" + weights.getFileName() + ".json");
            r = run(flags(List.of(flags(onward, "--init", weights.toString(), "--save", fromWeights.toString())),
                    layers));
            assertEquals(0, r.code(), r.err());
            assertEquals(ModelFile.read(fromModel).network().snapshot(), ModelFile.read(fromWeights).network().snapshot(),
                    weights + ": every parameter after an epoch, bit for bit");
        }

        Result wider = run("train", "--data", bars.toString(), "--input-shape", "1,6,6", "--layers", "conv8k3p1,pool2,8",
                "--init", st.toString(), "--no-plot");
        assertEquals(2, wider.code());
        assertEquals("descent train: --init: " + st + ": 0.weight has shape [4, 1, 3, 3] but 1x6x6 -> conv8k3p1 relu "
                + "-> pool2 -> flatten -> 8 relu -> 2 needs [8, 1, 3, 3]", wider.err().strip());
    }

    private static String[] flags(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void theSeedExampleHasNoImagesToConvolve() {
        Result r = run("train", "--layers", "conv4k3", "--no-plot");
        assertEquals(2, r.code());
        assertEquals("descent train: --layers conv4k3: convolutions and pooling need images; give the shape of a row "
                + "with --input-shape C,H,W (the data has 5 features a row)", r.err().strip());
    }

    /**
     * The fmnist-cnn network as the header shows it: PyTorch's parameter counts for the same layers
     * (320, 18,496, 401,536, 1,290; 421,642 in all), and ten layers numbered in one column.
     */
    @Test
    void theFashionMnistNetworkReadsAsKerasSummaryDoes() {
        var net = dev.descent.recipe.Recipe.forData().withLayers("conv32k3p1,pool2,conv64k3p1,pool2,128")
                .withInputShape(new Shape(1, 28, 28)).network(784, 10);
        assertEquals(List.of(
                "layer         output  parameters                         count",
                "input        1x28x28",
                " 1 conv     32x28x28  conv1.W 32x1x3x3, conv1.b 1x32       320",
                " 2 relu     32x28x28",
                " 3 maxpool  32x14x14",
                " 4 conv     64x14x14  conv2.W 64x32x3x3, conv2.b 1x64   18,496",
                " 5 relu     64x14x14",
                " 6 maxpool    64x7x7",
                " 7 flatten      3136",
                " 8 dense         128  W1 3136x128, b1 1x128            401,536",
                " 9 relu          128",
                "10 dense          10  W2 128x10, b2 1x10                 1,290",
                "softmax           10",
                "total                                                  421,642"),
                dev.descent.report.ModelSummary.table(net, false));
    }
}
