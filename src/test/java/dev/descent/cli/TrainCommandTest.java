package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.modelfile.ModelFile;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI end to end, in-process: exit codes, what is printed, what is written. */
class TrainCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void defaultRunTrainsTheSeedExampleAndWritesItsPictureAndHistory() throws Exception {
        Path png = dir.resolve("loss.png"), csv = dir.resolve("history.csv");
        Result r = run("train", "--plot", png.toString(), "--history", csv.toString());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("seed example (10 samples x 5 features, 10 classes)"), r.out());
        assertTrue(r.out().contains("5 -> 20 relu -> 10 softmax  (330 parameters)"), r.out());
        assertTrue(r.out().contains("uniform01 (weights uniform in [0,1), biases 0), seed 1"), r.out());
        assertTrue(r.out().contains("lr 0.05"), r.out());
        assertTrue(r.out().contains("training accuracy 80.0% (8 of 10)"), r.out());
        assertTrue(r.out().contains("loss curve: " + png), r.out());

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());

        List<String> lines = Files.readAllLines(csv);
        assertEquals("epoch,loss,accuracy", lines.get(0));
        assertEquals(102, lines.size());
        double first = Double.parseDouble(lines.get(1).split(",")[1]);
        double last = Double.parseDouble(lines.get(101).split(",")[1]);
        assertTrue(last < first / 5, first + " -> " + last);
    }

    @Test
    void numericalGradientsGiveTheSameRunAsBackprop() throws Exception {
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv");
        assertEquals(0, run("train", "--quiet", "--no-plot", "--history", a.toString()).code());
        assertEquals(0, run("train", "--quiet", "--no-plot", "--gradient", "numerical", "--history", b.toString()).code());
        List<String> la = Files.readAllLines(a), lb = Files.readAllLines(b);
        for (int i = 1; i < la.size(); i++) {
            double x = Double.parseDouble(la.get(i).split(",")[1]), y = Double.parseDouble(lb.get(i).split(",")[1]);
            assertEquals(x, y, 1e-6 * x, "row " + i);
        }
    }

    @Test
    void float32TrainsTheSameRunToFloat32Precision() throws Exception {
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv"), model = dir.resolve("m.json");
        assertEquals(0, run("train", "--quiet", "--no-plot", "--history", a.toString()).code());
        Result r = run("train", "--no-plot", "--dtype", "float32", "--history", b.toString(), "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gradient   backprop in float32"), r.out());
        assertTrue(r.out().contains("training accuracy 80.0% (8 of 10)"), r.out());
        List<String> la = Files.readAllLines(a), lb = Files.readAllLines(b);
        double worst = 0;
        for (int i = 1; i < la.size(); i++) {
            double x = Double.parseDouble(la.get(i).split(",")[1]), y = Double.parseDouble(lb.get(i).split(",")[1]);
            worst = Math.max(worst, Math.abs(x - y) / x);
        }
        // 100 full-batch steps, each rounded to float32 (7 digits): far closer than any real difference, not equal.
        assertTrue(worst < 1e-4 && worst > 0, "float32 against float64, worst relative difference " + worst);
        assertEquals("float32", ModelFile.read(model).training().get("dtype"));
    }

    @Test
    void savedModelRestartsTrainingFromExactlyItsParameters() throws Exception {
        Path model = dir.resolve("m.json");
        assertEquals(0, run("train", "--quiet", "--no-plot", "--epochs", "10", "--save", model.toString()).code());
        var saved = ModelFile.read(model);
        assertEquals("backprop", saved.training().get("gradient"));
        assertEquals("sha256:" + dev.descent.data.SeedExample.dataset().fingerprint(), saved.training().get("dataFingerprint"));

        Path csv = dir.resolve("h.csv");
        Result r = run("train", "--no-plot", "--init", model.toString(), "--epochs", "1", "--history", csv.toString());
        assertEquals(0, r.code(), r.err());
        double resumedStart = Double.parseDouble(Files.readAllLines(csv).get(1).split(",")[1]);
        assertEquals(((Number) saved.training().get("finalLoss")).doubleValue(), resumedStart, 0.0);
    }

    @Test
    void svgPlotAndLogScale() throws Exception {
        Path svg = dir.resolve("loss.svg");
        assertEquals(0, run("train", "--quiet", "--plot", svg.toString(), "--log-scale").code());
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--lr -1             | descent train: --lr: '-1' must be a positive number",
        "--lr 0              | descent train: --lr: '0' must be a positive number",
        "--layers abc        | descent train: --layers: 'abc' is not a list of layers: item 1, 'abc', is not a width (128), a convolution conv<filters>k<size>[s<stride>][p<padding>] (conv32k3p1), a pooling pool<size>[s<stride>] or avgpool<size>[s<stride>] (pool2), or flatten",
        "--layers 20,0       | descent train: --layers: '20,0' has a width of 0; widths must be between 1 and 1000000",
        "--epochs 0          | descent train: --epochs: '0' must be at least 1",
        "--activation gelu   | descent train: --activation: 'gelu' is not one of relu, sigmoid, tanh",
        "--gradient magic    | descent train: --gradient: 'magic' is not backprop, numerical or spsa",
        "--reduction max     | descent train: --reduction: 'max' is not sum or mean",
        "--init missing.json | descent train: --init: 'missing.json' is neither uniform01, xavier, he, pytorch nor an existing model file",
        "--lr abc            | descent train: Invalid value for option '--lr': 'abc' is not a number (see 'descent train --help')",
        "--frobnicate        | descent train: Unknown option: '--frobnicate' (see 'descent train --help')",
    })
    void badFlagsExitTwoWithOneLineAndWriteNothing(String args, String message) throws Exception {
        List<String> argv = new ArrayList<>(List.of(args.split(" ")));
        argv.addAll(List.of("--plot", dir.resolve("loss.png").toString(), "--save", dir.resolve("m.json").toString(),
                "--history", dir.resolve("h.csv").toString()));
        Result r = run(Stream.concat(Stream.of("train"), argv.stream()).toArray(String[]::new));
        assertEquals(2, r.code());
        assertEquals(message, r.err().strip());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no output file");
        }
    }

    @Test
    void anOutputDirectoryThatDoesNotExistIsReportedBeforeTraining() {
        Result r = run("train", "--save", dir.resolve("no/such/m.json").toString());
        assertEquals(2, r.code());
        assertEquals("descent train: --save: the directory of " + dir.resolve("no/such/m.json") + " does not exist",
                r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aModelFileForOtherDataIsRefused() throws Exception {
        Path model = dir.resolve("m.json");
        Files.copy(Path.of("src/test/resources/golden-v1.json"), model);
        Result r = run("train", "--no-plot", "--init", model.toString());
        assertEquals(2, r.code());
        assertEquals("descent train: --init: " + model + " takes 2 inputs but the data has 5 features", r.err().strip());
    }

    @Test
    void helpShowsEveryDefault() {
        Result r = run("train", "--help");
        assertEquals(0, r.code());
        for (String s : List.of("default: 0.05 for the seed example, 0.1 with --data", "default: 1.0E-6",
                "default: uniform01 for the seed example, he with --data", "default: loss.png",
                "default: sum for the seed example, mean with --data", "default: 100 for the seed example")) {
            assertTrue(r.out().replaceAll("\\s+", " ").contains(s), s + " in\n" + r.out());
        }
    }

    /** With --data, backprop trains in float32 unless told otherwise, and says so; central differences keep float64. */
    @Test
    void dataFilesTrainInFloat32ByDefaultAndTheHeaderSaysWhy() throws Exception {
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "a,b,label\n0,1,x\n1,0,y\n0.2,0.9,x\n0.8,0.1,y\n");
        Path model = dir.resolve("m.json");
        Result r = run("train", "--data", csv.toString(), "--no-plot", "--epochs", "2", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  gradient   backprop in float32 (the default with --data: as accurate as float64 "
                + "here, and faster; --dtype float64 for the reference)\n"), r.out());
        assertTrue(Files.readString(model).contains("\"dtype\" : \"float32\""), Files.readString(model));

        Result chosen = run("train", "--data", csv.toString(), "--no-plot", "--epochs", "2", "--dtype", "float64");
        assertTrue(chosen.out().contains("  gradient   backprop\n"), chosen.out());
        Result numerical = run("train", "--data", csv.toString(), "--no-plot", "--epochs", "2", "--gradient", "numerical");
        assertEquals(0, numerical.code(), numerical.err());
        assertTrue(numerical.out().contains("  gradient   numerical"), numerical.out());
        Result seed = run("train", "--no-plot", "--epochs", "2");
        assertTrue(seed.out().contains("  gradient   backprop\n"), seed.out());
    }
}
