package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.modelfile.ModelFile;
import dev.descent.network.Architecture;
import dev.descent.network.Network;
import dev.descent.weights.WeightsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent export} and {@code --init FILE.safetensors|.npz}, end to end in-process: what is
 * written and said, what is refused (one line, exit code 2, no file), and weights brought back to
 * train, check and diagnose.
 */
class ExportCommandTest {
    @TempDir
    Path dir;

    Path seedModel(String... extra) {
        Path model = dir.resolve("seed.json");
        List<String> args = new java.util.ArrayList<>(List.of("train", "--save", model.toString(), "--no-plot", "--quiet"));
        args.addAll(List.of(extra));
        Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return model;
    }

    @Test
    void exportWritesEachFileAndSaysWhatIsInIt() throws Exception {
        Path model = seedModel();
        Path onnx = dir.resolve("m.onnx"), st = dir.resolve("m.safetensors"), npz = dir.resolve("m.npz");
        Result r = run("export", "--model", model.toString(), "--onnx", onnx.toString(), "--safetensors", st.toString(),
                "--npz", npz.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  network      5 -> 20 relu -> 10 softmax  (330 parameters)\n"), r.out());
        assertTrue(r.out().contains("  dtype        float64, as trained\n"), r.out());
        assertTrue(r.out().contains(": features [batch, 5] -> probabilities, logits [batch, 10]; opset 17\n"), r.out());
        assertTrue(r.out().contains("  safetensors  " + st + ", " + String.format(java.util.Locale.ROOT, "%,d",
                Files.size(st)) + " bytes: 0.weight [20, 5], 0.bias [20], 2.weight [10, 20], 2.bias [10]\n"), r.out());
        assertTrue(Files.size(onnx) > 330 * 8, "the parameters in float64, and the graph");
        assertEquals(8 + 330 * 8, Files.size(st) - headerLength(st));
        assertTrue(Files.exists(npz));
    }

    static long headerLength(Path st) throws Exception {
        byte[] b = Files.readAllBytes(st);
        return java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aFloat32ModelIsExportedInFloat32UnlessAskedOtherwise() throws Exception {
        Path model = seedModel("--dtype", "float32");
        Path st = dir.resolve("m.safetensors");
        Result r = run("export", "--model", model.toString(), "--safetensors", st.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  dtype        float32, as trained\n"), r.out());
        assertEquals(8 + 330 * 4, Files.size(st) - headerLength(st));
        Result wide = run("export", "--model", model.toString(), "--safetensors", st.toString(), "--dtype", "float64");
        assertTrue(wide.out().contains("  dtype        float64, trained in float32\n"), wide.out());
        assertEquals(8 + 330 * 8, Files.size(st) - headerLength(st));
    }

    @Test
    void theWeightsComeBackAsTheyWereThroughInit() throws Exception {
        Path model = seedModel();
        for (String name : List.of("w.safetensors", "w.npz")) {
            Path weights = dir.resolve(name), again = dir.resolve("again-" + name + ".json");
            assertEquals(0, run("export", "--model", model.toString(), "--" + name.substring(2), weights.toString()).code());
            Result r = run("train", "--init", weights.toString(), "--layers", "20", "--epochs", "1", "--lr", "1e-300",
                    "--save", again.toString(), "--no-plot");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("  init       weights file " + weights + " (torch.nn.Sequential names)\n"), r.out());
            // A step of 1e-300 moves no parameter of this size: the start is the exported model, bit for bit.
            assertEquals(ModelFile.read(model).network().snapshot(), ModelFile.read(again).network().snapshot(), name);
        }
    }

    @Test
    void weightsThatDoNotFitTheLayersAreOneLineNamingBothShapes() throws Exception {
        Path model = seedModel();
        Path weights = dir.resolve("w.safetensors");
        assertEquals(0, run("export", "--model", model.toString(), "--safetensors", weights.toString()).code());
        Result r = run("train", "--init", weights.toString(), "--layers", "32", "--no-plot");
        assertEquals(2, r.code());
        assertEquals("descent train: --init: " + weights + ": 0.weight has shape [20, 5] but 5 -> 32 relu -> 10 needs "
                + "[32, 5] (the file holds the weights of 5 -> 20 -> 10)", r.err().strip());
    }

    @Test
    void gradcheckAndTheDoctorTakeWeightsFromElsewhere() throws Exception {
        Network net = new Architecture(5, List.of(20), "relu", 10).build();
        dev.descent.init.Initializer.PYTORCH.initialize(net, 7);
        Path weights = dir.resolve("torch.safetensors");
        WeightsFiles.write(net, dev.descent.tensor.Dtype.FLOAT32, java.util.Map.of("format", "pt"), weights);

        Result check = run("gradcheck", "--init", weights.toString(), "--layers", "20");
        assertEquals(0, check.code(), check.err() + check.out());
        assertTrue(check.out().contains("PASS: backprop and central differences agree on every tensor"), check.out());

        Result doctor = run("doctor", "--init", weights.toString(), "--layers", "20", "--lr", "50");
        assertEquals(1, doctor.code(), doctor.err());
        assertTrue(doctor.out().contains("problem: the loss rose across a step of descent"), doctor.out());
        assertTrue(doctor.out().contains("--init " + weights.toAbsolutePath()), doctor.out());
    }

    @Test
    void refusalsAreOneLineAndWriteNothing() throws Exception {
        Path model = seedModel();
        Path onnx = dir.resolve("m.onnx");
        Result none = run("export", "--model", model.toString());
        assertEquals(2, none.code());
        assertEquals("descent export: give at least one of --onnx, --safetensors, --npz", none.err().strip());

        Result self = run("export", "--model", model.toString(), "--onnx", onnx.toString(), "--npz", model.toString());
        assertEquals(2, self.code());
        assertEquals("descent export: --npz: " + model + " is the --model file; Descent never overwrites its input, give "
                + "another file name", self.err().strip());
        assertFalse(Files.exists(onnx), "nothing written when any output is refused");

        Result dtype = run("export", "--model", model.toString(), "--onnx", onnx.toString(), "--dtype", "float16");
        assertEquals("descent export: --dtype: 'float16' is not float64 or float32", dtype.err().strip());

        // A layer of a user's own cannot be in a model file, so it cannot reach the exporters: one line.
        Path own = Files.writeString(dir.resolve("own.json"), Files.readString(model).replace("\"relu\"", "\"swish\""));
        Result r = run("export", "--model", own.toString(), "--onnx", onnx.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("descent export: --model: " + own + ": "), r.err());
        assertTrue(r.err().contains("swish"), r.err());
        assertFalse(Files.exists(onnx));
    }

    @Test
    void aBadWeightsFileIsOneLineAndExitCodeTwo() throws Exception {
        Path bad = Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        Result r = run("train", "--init", bad.toString(), "--no-plot");
        assertEquals(2, r.code());
        assertEquals("descent train: --init: " + bad + ": not a safetensors file: 3 bytes, shorter than the 8 of its "
                + "header's length", r.err().strip());
        Path zip = Files.write(dir.resolve("bad.npz"), "not a zip".getBytes());
        Result z = run("gradcheck", "--init", zip.toString());
        assertEquals(2, z.code());
        assertEquals(1, z.err().strip().lines().count(), z.err());
        assertTrue(z.err().startsWith("descent gradcheck: --init: " + zip + ": not an .npz archive"), z.err());
    }

    @Test
    void exportKeepsStandardisationInTheOnnxAndSaysSoForTheWeights() throws Exception {
        Path csv = dir.resolve("d.csv"), model = dir.resolve("m.json");
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) {
            sb.append(100 + i).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "x" : "y").append('\n');
        }
        Files.writeString(csv, sb.toString());
        assertEquals(0, run("train", "--data", csv.toString(), "--standardize", "--epochs", "2", "--save",
                model.toString(), "--no-plot", "--quiet").code());
        Result r = run("export", "--model", model.toString(), "--onnx", dir.resolve("m.onnx").toString(), "--npz",
                dir.resolve("m.npz").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("; standardisation as its first nodes\n"), r.out());
        assertTrue(r.out().contains("  note         the model standardises its features, which nn.Sequential does not: "
                + "give it (x - mean) / std with the mean and std in " + model + ", or use the ONNX file, which does it\n"),
                r.out());
    }
}
