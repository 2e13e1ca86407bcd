package dev.descent.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.descent.Python;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX's own checker ({@code onnx.checker.check_model}, full check) and ONNX Runtime for Python
 * accept every kind of exported model, through {@code bench/onnx_check.py}; skipped, saying why,
 * where Python's onnx and onnxruntime are not installed (.ci/run installs them where pip can).
 */
class OnnxCheckerTest {
    @TempDir
    Path dir;

    @Test
    void theOnnxCheckerAcceptsEveryExportedModel() throws Exception {
        String python = Python.with("onnx", "onnxruntime", "numpy");
        assumeTrue(python != null, Python.missing("onnx", "onnxruntime", "numpy"));
        List<String> args = new ArrayList<>(List.of("bench/onnx_check.py"));
        int i = 0;
        for (ExportedModels.Case c : ExportedModels.all()) {
            Path f = dir.resolve("model" + i++ + ".onnx");
            OnnxExport.write(c.model(), c.dtype(), f);
            args.add(f.toString());
        }
        Python.Run r = Python.run(python, 300, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.out());
        assertEquals(ExportedModels.all().size(), r.out().lines().filter(l -> l.startsWith("ok ")).count(), r.out());
        assertTrue(r.out().contains("features [batch, 6] -> probabilities [3, 4], logits [3, 4]"), r.out());
        assertTrue(r.out().contains("features [batch, 6] -> values [3, 3]"), r.out());
        assertTrue(r.out().contains("features [batch, 96] -> probabilities [3, 4], logits [3, 4]"), r.out());
    }

    @Test
    void theCheckerFailsAFileThatIsNotOnnx() throws Exception {
        String python = Python.with("onnx", "onnxruntime", "numpy");
        assumeTrue(python != null, Python.missing("onnx", "onnxruntime", "numpy"));
        Path bad = java.nio.file.Files.write(dir.resolve("bad.onnx"), new byte[] {8, 8, 18, 3, 'a', 'b'});
        Python.Run r = Python.run(python, 120, "bench/onnx_check.py", bad.toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().startsWith("FAIL " + bad), r.out());
    }
}
