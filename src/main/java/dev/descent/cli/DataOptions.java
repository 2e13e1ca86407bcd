package dev.descent.cli;

import dev.descent.data.CsvDataset;
import dev.descent.data.DataFormatException;
import dev.descent.data.Dataset;
import dev.descent.data.IdxDataset;
import dev.descent.data.SeedExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the data comes from and how to read it. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE|DIR",
            description = "The data: a CSV file (header row, numeric features, a label column), or a directory of "
                    + "MNIST-style IDX files (train-images-idx3-ubyte[.gz] and so on). Absent: the built-in seed "
                    + "example (10 samples, 5 features, 10 classes).")
    Path data;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "The label column of a CSV file, by header name or number from 1 (default: the last).")
    String label;

    @Option(names = "--no-header", description = "The CSV file has no header row.")
    boolean noHeader;

    @Option(names = "--task", paramLabel = "TASK",
            description = "classification (a label column of class names) or regression (one or more numeric target "
                    + "columns, --label a,b; a linear output and mean squared error) (default: classification).")
    String task;

    /** Whether --task is regression; checks its value. */
    boolean regression() {
        if (task == null) {
            return false;
        }
        String t = task.trim().toLowerCase(java.util.Locale.ROOT);
        if (!t.equals("classification") && !t.equals("regression")) {
            throw UserError.badValue("--task", task, "is not classification or regression");
        }
        return t.equals("regression");
    }

    /** The preset whose defaults fill the options not given. */
    Defaults preset() {
        return data == null ? Defaults.SEED_EXAMPLE : Defaults.DATA_FILE;
    }

    CsvDataset.Options csv() {
        return new CsvDataset.Options(!noHeader, label);
    }

    /** The training data, or a {@link UserError} naming the file, line and value that are wrong. */
    Dataset training() {
        boolean regression = regression();
        if (data == null) {
            if (regression) {
                throw new UserError("--task regression: give the data, a CSV file with numeric target columns (--data)");
            }
            return SeedExample.dataset();
        }
        requireExists("--data", data);
        try {
            if (regression) {
                if (Files.isDirectory(data)) {
                    throw new UserError("--task regression: " + data + " is a directory; give a CSV file");
                }
                return CsvDataset.readRegression(data, csv());
            }
            if (IdxDataset.isIdxDirectory(data)) {
                return IdxDataset.training(data);
            }
            if (Files.isDirectory(data)) {
                throw new UserError("--data: " + data + " is a directory without train-images-idx3-ubyte[.gz]; "
                        + "give a CSV file or an MNIST-style directory");
            }
            Dataset d = CsvDataset.read(data, csv(), null);
            if (d.classCount() < 2) {
                throw new UserError("--data: " + data + " has only one class, '" + d.classNames().get(0)
                        + "'; a classifier needs at least two");
            }
            return d;
        } catch (DataFormatException e) {
            throw new UserError("--data: " + e.getMessage());
        }
    }

    /**
     * A labelled set to evaluate on, its classes numbered as {@code classes}: the CSV file or IDX
     * directory {@code path} (for a directory, its t10k files), or null when path is null.
     */
    Dataset labelled(String flag, Path path, List<String> classes) {
        if (path == null) {
            return null;
        }
        requireExists(flag, path);
        try {
            if (regression()) {
                if (Files.isDirectory(path)) {
                    throw new UserError(flag + ": " + path + " is a directory; regression reads a CSV file");
                }
                return CsvDataset.readRegression(path, csv());
            }
            if (Files.isDirectory(path)) {
                return IdxDataset.test(path);
            }
            return CsvDataset.read(path, csv(), classes);
        } catch (DataFormatException e) {
            throw new UserError(flag + ": " + e.getMessage());
        }
    }

    /**
     * A one-line hint when a classification label column looks like a numeric target: every label
     * a number and more than 20 distinct values, over a tenth of the rows. Null otherwise.
     */
    static String continuousHint(Dataset d) {
        if (d.isRegression() || d.classCount() <= 20 || d.classCount() * 10 <= d.size()) {
            return null;
        }
        for (String name : d.classNames()) {
            try {
                Double.parseDouble(name);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return "the label column has " + d.classCount() + " distinct numbers in " + d.size() + " rows, each a class;"
                + " if it is a quantity to predict, add --task regression";
    }

    /** The default held-out set: the t10k files of an IDX training directory, else none. */
    Path defaultTest() {
        return data != null && IdxDataset.isIdxDirectory(data) ? data : null;
    }

    static void requireExists(String flag, Path path) {
        if (!Files.exists(path)) {
            throw new UserError(flag + ": " + path + ": no such file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new UserError(flag + ": " + path + ": not readable");
        }
    }
}
