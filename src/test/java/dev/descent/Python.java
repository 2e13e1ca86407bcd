package dev.descent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python interpreter for the tests that hold Descent's files to the tools of that world (ONNX's
 * checker, PyTorch): the first of {@code python3} on the path and Debian's {@code /usr/bin/python3}
 * that imports every module asked for, or null; the tests skip, naming what is missing, without one.
 */
public final class Python {
    private Python() {}

    /** What a run printed, and how it ended. */
    public record Run(int code, String out) {}

    /** The interpreter that imports all of {@code modules}, or null. */
    public static String with(String... modules) {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                if (run(python, 120, "-c", "import " + String.join(", ", modules)).code() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return null;
    }

    /** Why a test skips: {@code no python3 that imports torch, safetensors (pip install torch safetensors)}. */
    public static String missing(String... modules) {
        return "no python3 that imports " + String.join(", ", modules) + " (pip install " + String.join(" ", modules)
                + ")";
    }

    /** Runs {@code python} with {@code args}, standard error with standard output, within {@code seconds}. */
    public static Run run(String python, int seconds, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(python));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).directory(Path.of(".").toFile()).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "timed out after " + seconds + " s");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }
}
