package dev.descent.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code descent warm-up} (hidden): runs, in one process, what users run most (the seed example
 * with its picture, central differences, a small IDX data set in float32 (with a report) and float64
 * with SGD and Adam, evaluate, predict, gradcheck, doctor), with every output thrown away. The launcher runs it
 * once under a JDK that can record an ahead-of-time cache (JEP 483, 514, 515: JDK 25 and later),
 * so that later runs start with those classes loaded and those methods' profiles known.
 */
@Command(name = "warm-up", hidden = true,
        description = "Run a representative workload, for the launcher's ahead-of-time cache.")
public final class WarmUpCommand implements Callable<Integer> {
    /** Rows of the synthetic IDX training set: enough for several mini-batches on both cores. */
    static final int ROWS = 2048;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("descent-warm-up");
        try {
            Path idx = Files.createDirectories(dir.resolve("idx"));
            writeIdx(idx, "train", ROWS, 1);
            writeIdx(idx, "t10k", ROWS / 4, 2);
            String data = idx.toString(), model = dir.resolve("model.json").toString();
            List<String[]> runs = List.of(
                    new String[] {"train", "--quiet", "--plot", dir.resolve("loss.png").toString()},
                    new String[] {"train", "--quiet", "--no-plot", "--gradient", "numerical"},
                    new String[] {"train", "--quiet", "--no-plot", "--data", data, "--epochs", "2", "--dtype", "float32",
                            "--save", model, "--report", dir.resolve("report.html").toString()},
                    new String[] {"train", "--quiet", "--no-plot", "--data", data, "--epochs", "1", "--dtype", "float64",
                            "--optimizer", "adam", "--lr", "0.001"},
                    new String[] {"train", "--quiet", "--no-plot", "--data", data, "--epochs", "1", "--dtype", "float32",
                            "--optimizer", "adam", "--lr", "0.001", "--layers", "256,128"},
                    new String[] {"evaluate", "--model", model, "--data", data, "--no-plot"},
                    new String[] {"predict", "--model", model, "--data", data, "--out", dir.resolve("p.csv").toString()},
                    new String[] {"gradcheck"},
                    new String[] {"doctor"});
            PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
            for (String[] args : runs) {
                int code = Main.run(args, none, none);
                if (code != 0) { // a workload that stopped early warms little: say so, and the launcher keeps no cache
                    spec.commandLine().getErr().println("descent warm-up: 'descent " + String.join(" ", args)
                            + "' exited with " + code);
                    return 1;
                }
            }
            return 0;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code PREFIX-images-idx3-ubyte} (rows of 28 × 28 random pixels) and its labels (0 to 9). */
    private static void writeIdx(Path dir, String prefix, int rows, long seed) throws IOException {
        Random rng = new Random(seed);
        ByteBuffer images = ByteBuffer.allocate(16 + rows * 784).putInt(0x803).putInt(rows).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + rows).putInt(0x801).putInt(rows);
        for (int r = 0; r < rows; r++) {
            int label = rng.nextInt(10);
            labels.put((byte) label);
            for (int p = 0; p < 784; p++) {
                images.put((byte) (rng.nextInt(64) + 16 * label)); // a little signal: brighter for higher labels
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
