package dev.descent.cli;

import dev.descent.Descent;
import dev.descent.io.AtomicFiles;
import dev.descent.io.PathRules;
import dev.descent.modelfile.Model;
import dev.descent.onnx.OnnxExport;
import dev.descent.tensor.Dtype;
import dev.descent.weights.NamedArray;
import dev.descent.weights.Npz;
import dev.descent.weights.SafeTensors;
import dev.descent.weights.TensorInfo;
import dev.descent.weights.WeightsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code descent export}: a saved model as an ONNX graph (standardisation, layers, softmax or the
 * targets' units) and its parameters as safetensors or npz under torch.nn.Sequential's names.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a saved model for other tools: the whole model as ONNX (for ONNX Runtime and any "
                + "serving stack), and its parameters as safetensors or npz under torch.nn.Sequential's names "
                + "(0.weight [out][in], 0.bias, 2.weight, ...), which --init reads back.",
                "Every file is written whole or not at all; nothing is written when any output is refused."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:written", "2:bad options or input",
                "74:a file could not be written"})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "The model, saved by train --save.")
    Path modelFile;

    @Option(names = "--onnx", paramLabel = "FILE",
            description = "The model as ONNX (opset " + OnnxExport.OPSET + "): input features [batch, inputs]; outputs "
                    + "probabilities and logits, or values for regression.")
    Path onnx;

    @Option(names = "--safetensors", paramLabel = "FILE",
            description = "The parameters as safetensors, for safetensors.torch.load_file and load_state_dict.")
    Path safetensors;

    @Option(names = "--npz", paramLabel = "FILE", description = "The parameters as a NumPy .npz archive (numpy.load).")
    Path npz;

    @Option(names = "--dtype", paramLabel = "TYPE",
            description = "float32 or float64 (default: the type the model was trained in, its provenance's dtype; "
                    + "float64 when it names none).")
    String dtype;

    @Override
    public Integer call() {
        if (onnx == null && safetensors == null && npz == null) {
            throw new UserError("give at least one of --onnx, --safetensors, --npz");
        }
        PathRules paths = new PathRules().input("--model", modelFile).output("--onnx", onnx)
                .output("--safetensors", safetensors).output("--npz", npz);
        Dtype type = dtype == null ? null : parseDtype(dtype);
        DataOptions.requireExists("--model", modelFile);
        Outputs.distinct(paths);
        Model model = ModelOptions.readModel("--model", modelFile, null);
        Dtype as = type != null ? type : model.trainedDtype();
        List<NamedArray> arrays = safetensors != null || npz != null ? arrays(model) : List.of();

        PrintWriter out = spec.commandLine().getOut();
        out.println("Descent " + Descent.VERSION + ": export of " + modelFile);
        line(out, "network", describe(model) + "  ("
                + String.format(Locale.ROOT, "%,d", model.network().parameterCount()) + " parameters)");
        line(out, "dtype", as.label() + (type == null ? ", as trained" : model.trainedDtype() == as ? ", as trained"
                : ", trained in " + model.trainedDtype().label()));
        if (onnx != null) {
            byte[] bytes = onnxBytes(model, as);
            write("--onnx", onnx, () -> AtomicFiles.write(onnx, o -> o.write(bytes)));
            int w = model.network().outputSize();
            line(out, "onnx", onnx + ", " + size(bytes.length) + ": " + OnnxExport.FEATURES + " [batch, "
                    + model.network().inputSize() + "] -> " + (model.isRegression() ? OnnxExport.VALUES
                    : OnnxExport.PROBABILITIES + ", " + OnnxExport.LOGITS) + " [batch, " + w + "]; opset "
                    + OnnxExport.OPSET + (model.standardization() != null ? "; standardisation as its first nodes" : ""));
        }
        if (safetensors != null) {
            write("--safetensors", safetensors, () -> SafeTensors.write(arrays, as, metadata(model), safetensors));
            line(out, "safetensors", safetensors + ", " + size(fileSize(safetensors)) + ": " + names(arrays));
        }
        if (npz != null) {
            write("--npz", npz, () -> Npz.write(arrays, as, npz));
            line(out, "npz", npz + ", " + size(fileSize(npz)) + ": " + names(arrays));
        }
        if ((safetensors != null || npz != null) && model.standardization() != null) {
            line(out, "note", "the model standardises its features, which nn.Sequential does not: give it "
                    + "(x - mean) / std with the mean and std in " + modelFile
                    + (onnx != null ? ", or use the ONNX file, which does it" : ""));
        }
        out.flush();
        return 0;
    }

    /** {@code 5 -> 20 relu -> 10 softmax}, or {@code ... -> 1 linear} for regression. */
    private static String describe(Model model) {
        String d = model.network().describe();
        return model.isRegression() ? d.substring(0, d.length() - " softmax".length()) + " linear" : d;
    }

    private static Dtype parseDtype(String text) {
        try {
            return Dtype.of(text.trim());
        } catch (IllegalArgumentException e) {
            throw UserError.badValue("--dtype", text, "is not float64 or float32");
        }
    }

    /** The parameters under nn.Sequential's names; a network they cannot name is one line. */
    private static List<NamedArray> arrays(Model model) {
        try {
            return WeightsFiles.arrays(model.network());
        } catch (IllegalArgumentException e) {
            throw new UserError("--model: " + e.getMessage());
        }
    }

    private static byte[] onnxBytes(Model model, Dtype dtype) {
        try {
            return OnnxExport.toBytes(model, dtype);
        } catch (IllegalArgumentException e) {
            throw new UserError("--onnx: " + e.getMessage());
        }
    }

    /** What a safetensors header keeps beside the tensors: PyTorch's format mark, and where they came from. */
    private Map<String, String> metadata(Model model) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("descent.network", describe(model));
        m.put("descent.from", modelFile.getFileName().toString());
        Object trained = model.training().get("descent");
        if (trained != null) {
            m.put("descent.version", String.valueOf(trained));
        }
        return m;
    }

    @FunctionalInterface
    private interface Writing {
        void run() throws IOException;
    }

    private static void write(String flag, Path path, Writing writing) {
        try {
            writing.run();
        } catch (PathRules.PathException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new WriteFailure(flag, path, e);
        }
    }

    private static long fileSize(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String size(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    /** {@code 0.weight [20, 5], 0.bias [20], ...}. */
    private static String names(List<NamedArray> arrays) {
        return arrays.stream().map(a -> a.name() + " " + TensorInfo.text(a.shape())).collect(Collectors.joining(", "));
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-12s %s%n", label, value);
    }
}
