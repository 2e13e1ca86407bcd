package dev.descent.cli;

import dev.descent.data.CsvDataset;
import dev.descent.data.DataFormatException;
import dev.descent.data.Dataset;
import dev.descent.data.Encoding;
import dev.descent.data.IdxDataset;
import dev.descent.data.MissingValuesException;
import dev.descent.data.SeedExample;
import dev.descent.io.PathRules;
import dev.descent.layers.Shape;
import dev.descent.recipe.Recipe;
import dev.descent.tensor.Matrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the data comes from and how to read it. */
public final class DataOptions {
    /** Which columns hold categories, what is imputed, what an unknown category does. */
    @Mixin
    ColumnOptions columns = new ColumnOptions();

    /** The names of the network's inputs once the columns are encoded (set by the run that encodes them), or null. */
    List<String> encodedNames;

    @Option(names = "--data", paramLabel = "FILE|DIR",
            description = "The data: a CSV file (header row, numeric features, a label column), - for CSV on "
                    + "standard input, or a directory of MNIST-style IDX files (train-images-idx3-ubyte[.gz] and so "
                    + "on). Absent: the built-in seed example (10 samples, 5 features, 10 classes).")
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
        String t = task.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("classification") && !t.equals("regression")) {
            throw UserError.badValue("--task", task, "is not classification or regression");
        }
        return t.equals("regression");
    }

    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "The CSV delimiter: a character, or 'tab' (default: comma, semicolon or tab, whichever the "
                    + "first line uses most).")
    String delimiter;

    @Option(names = "--ignore", paramLabel = "COLUMNS", split = ",",
            description = "CSV columns to leave out (an id, say), by header name or number from 1, separated by commas.")
    List<String> ignore = List.of();

    @Option(names = "--drop-missing",
            description = "Leave out the CSV rows with a missing value (an empty cell, NA or ?), rather than stop.")
    boolean dropMissing;

    /** The preset whose defaults fill the options not given, for this data's task. */
    Recipe preset() {
        Recipe r = data == null ? Recipe.seedExample() : Recipe.forData();
        return regression() ? r.withTask(Recipe.Task.REGRESSION) : r;
    }

    CsvDataset.Options csv() {
        return new CsvDataset.Options(!noHeader, label, delimiter(), ignore, dropMissing, columns.categorical,
                columns.imputation() != Encoding.Impute.NONE, null, false);
    }

    /** The options of a file read by a model's {@code encoding} (null: plain numbers, as before). */
    CsvDataset.Options csv(Encoding encoding) {
        CsvDataset.Options plain = new CsvDataset.Options(!noHeader, label, delimiter(), ignore, dropMissing);
        return encoding == null ? plain : plain.withEncoding(encoding, columns.ignoreUnknown());
    }

    private Character delimiter() {
        if (delimiter == null) {
            return null;
        }
        String d = delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1 || d.equals("\"") || d.equals("\n") || d.equals("\r")) {
            throw UserError.badValue("--delimiter", delimiter, "must be one character other than a quote or a line "
                    + "break, or 'tab'");
        }
        return d.charAt(0);
    }

    /** A CSV set from {@code path} or, for -, standard input, read by {@code encoding} (null: plain numbers). */
    private Dataset csv(Path path, List<String> classes, Encoding encoding) throws DataFormatException {
        if (StandardStreams.isDash(path)) {
            return CsvDataset.read(StandardStreams.in(), StandardStreams.STDIN, csv(encoding), classes);
        }
        return CsvDataset.read(path, csv(encoding), classes);
    }

    /** A regression set from the CSV file {@code path} or, for -, standard input: the targets named by --label. */
    private Dataset regressionCsv(Path path, Encoding encoding) throws DataFormatException {
        if (StandardStreams.isDash(path)) {
            return CsvDataset.readRegression(StandardStreams.in(), StandardStreams.STDIN, csv(encoding));
        }
        return CsvDataset.readRegression(path, csv(encoding));
    }

    /** The training CSV file as a table: columns of words as categories, missing cells kept with --impute. */
    private CsvDataset.Table csvTable(Path path, boolean regression) throws DataFormatException {
        boolean dash = StandardStreams.isDash(path);
        if (regression) {
            return dash ? CsvDataset.readRegressionTable(StandardStreams.in(), StandardStreams.STDIN, csv())
                    : CsvDataset.readRegressionTable(path, csv());
        }
        return dash ? CsvDataset.readTable(StandardStreams.in(), StandardStreams.STDIN, csv(), null)
                : CsvDataset.readTable(path, csv(), null);
    }

    /** The features of the rows in the CSV file {@code path} (or standard input, for -), for prediction. */
    Matrix features(String flag, Path path, int inputs) {
        return features(flag, path, inputs, 1);
    }

    /**
     * The same for a model of {@code outputs} regression targets: a row may also hold that many
     * target columns (named by --label where there are several), which are left out.
     */
    Matrix features(String flag, Path path, int inputs, int outputs) {
        return featureTable(flag, path, inputs, outputs, null).features();
    }

    /**
     * The rows of {@code path} for prediction, read by a model's {@code encoding} (null: plain
     * numbers) and not yet encoded, with its raw columns (and the count of unknown categories let through).
     */
    CsvDataset.FeatureTable featureTable(String flag, Path path, int inputs, int outputs, Encoding encoding) {
        try {
            if (StandardStreams.isDash(path)) {
                return CsvDataset.readFeatureTable(StandardStreams.in(), StandardStreams.STDIN, csv(encoding), inputs,
                        outputs);
            }
            return CsvDataset.readFeatureTable(path, csv(encoding), inputs, outputs);
        } catch (DataFormatException e) {
            throw error(flag, e);
        }
    }

    /** A data error for the command line, with the flag that fixes it where there is one. */
    static UserError error(String flag, DataFormatException e) {
        String hint = e instanceof MissingValuesException ? "; leave those rows out with --drop-missing" : "";
        return new UserError(flag + ": " + e.getMessage() + hint);
    }

    /**
     * The training data, its columns encoded by an encoding fitted on all its rows (for a command
     * that takes the whole file, such as gradcheck), or a {@link UserError} naming the file, line
     * and value that are wrong.
     */
    Dataset training() {
        CsvDataset.Table t = table();
        if (t.columns() == null) {
            return t.rows();
        }
        Encoding encoding = columns.fit(t.rows(), t.columns());
        encodedNames = encoding.featureNames();
        return t.encoded(encoding);
    }

    /**
     * The training data as read: the seed example, an IDX directory, or a CSV file whose columns of
     * words (and those --categorical names) hold categories, with its raw columns to be encoded by
     * the run (null for plain numbers); or a {@link UserError} naming the file, line and value.
     */
    /** The test set of an IDX directory, being read on a thread of its own ({@link #readTestAhead}), or null. */
    private CompletableFuture<Dataset> testAhead;
    private Path testAheadDir;

    /**
     * Starts reading {@code dir}'s t10k files on a thread of their own, while the training files are
     * read: decompressing Fashion-MNIST's test images takes about 0.08 s, on a core that would
     * otherwise wait. {@link #labelled} takes the result; a failure is reported there, as if read then.
     */
    void readTestAhead(Path dir) {
        if (dir == null || testAhead != null) {
            return;
        }
        testAheadDir = dir;
        testAhead = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                testAhead.complete(IdxDataset.test(dir));
            } catch (DataFormatException | RuntimeException | Error e) {
                testAhead.completeExceptionally(e);
            }
        }, "descent-test-set");
        t.setDaemon(true);
        t.start();
    }

    /** The test set read ahead from {@code dir}, waiting for it, or else read now. */
    private Dataset idxTest(Path dir) throws DataFormatException {
        if (testAhead == null || !dir.equals(testAheadDir)) {
            return IdxDataset.test(dir);
        }
        try {
            return testAhead.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof DataFormatException d) {
                throw d;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    CsvDataset.Table table() {
        boolean regression = regression();
        if (data == null) {
            if (regression) {
                throw new UserError("--task regression: give the data, a CSV file with numeric target columns (--data)");
            }
            return new CsvDataset.Table(SeedExample.dataset(), null);
        }
        csv(); // the CSV flags are checked before a file is looked at
        columns.check();
        try {
            if (regression) {
                if (!StandardStreams.isDash(data)) {
                    requireExists("--data", data);
                    if (Files.isDirectory(data)) {
                        throw new UserError("--task regression: " + data + " is a directory; give a CSV file");
                    }
                }
                return csvTable(data, true);
            }
            if (StandardStreams.isDash(data)) {
                return atLeastTwoClasses(csvTable(data, false));
            }
            requireExists("--data", data);
            if (IdxDataset.isIdxDirectory(data)) {
                refuseColumnsOf("an IDX directory");
                Dataset d = IdxDataset.training(data);
                int[] seen = labelsSeen(d);
                if (seen.length < 2) {
                    throw new UserError("--data: " + data + ": every training label is " + seen[0]
                            + "; a classifier needs at least two classes");
                }
                return new CsvDataset.Table(d, null);
            }
            if (Files.isDirectory(data)) {
                throw new UserError("--data: " + data + " is a directory without train-images-idx3-ubyte[.gz]; "
                        + "give a CSV file or an MNIST-style directory");
            }
            return atLeastTwoClasses(csvTable(data, false));
        } catch (DataFormatException e) {
            throw error("--data", e);
        }
    }

    /** The column flags mean nothing for data without columns (the seed example, IDX images). */
    private void refuseColumnsOf(String what) {
        if (!columns.categorical.isEmpty() || columns.impute != null || columns.minCategoryCount != null) {
            throw new UserError("--data: " + what + " has no columns to read as categories or impute");
        }
    }

    private CsvDataset.Table atLeastTwoClasses(CsvDataset.Table t) {
        atLeastTwoClasses(t.rows());
        return t;
    }

    private Dataset atLeastTwoClasses(Dataset d) {
        if (d.classCount() < 2) {
            throw new UserError("--data: " + (StandardStreams.isDash(data) ? StandardStreams.STDIN : data)
                    + " has only one class, '" + d.classNames().get(0) + "'; a classifier needs at least two");
        }
        return d;
    }

    /**
     * A labelled set to evaluate on, its classes numbered as {@code classes}: the CSV file or IDX
     * directory {@code path} (for a directory, its t10k files), or null when path is null.
     */
    Dataset labelled(String flag, Path path, List<String> classes, String owner) {
        return labelled(flag, path, classes, owner, null);
    }

    /** The same, its columns read and encoded by {@code encoding} (a model's or the run's; null: plain numbers). */
    Dataset labelled(String flag, Path path, List<String> classes, String owner, Encoding encoding) {
        if (path == null) {
            return null;
        }
        try {
            if (regression()) {
                if (!StandardStreams.isDash(path)) {
                    requireExists(flag, path);
                    if (Files.isDirectory(path)) {
                        throw new UserError(flag + ": " + path + " is a directory; regression reads a CSV file");
                    }
                }
                return regressionCsv(path, encoding);
            }
            if (StandardStreams.isDash(path)) {
                return csv(path, classes, encoding);
            }
            requireExists(flag, path);
            if (Files.isDirectory(path)) {
                Dataset d = idxTest(path);
                int[] seen = labelsSeen(d);
                int highest = seen[seen.length - 1];
                if (highest >= classes.size()) {
                    throw new UserError(flag + ": " + path + ": the t10k labels include " + highest + " but "
                            + owner + " has " + classes.size() + " classes (0 to " + (classes.size() - 1) + ")");
                }
                return d;
            }
            return csv(path, classes, encoding);
        } catch (DataFormatException e) {
            throw error(flag, e);
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

    /** The distinct labels of a data set, in increasing order. */
    private static int[] labelsSeen(Dataset d) {
        return Arrays.stream(d.labels()).distinct().sorted().toArray();
    }

    /** The shape of the training images as C×H×W: 1×H×W for an IDX directory of H×W images, else null (unknown). */
    Shape imageShape() {
        if (data == null || StandardStreams.isDash(data) || !IdxDataset.isIdxDirectory(data)) {
            return null;
        }
        try {
            return IdxDataset.imageShape(data);
        } catch (DataFormatException e) {
            throw error("--data", e);
        }
    }

    /** The default held-out set: the t10k files of an IDX training directory, else none. */
    Path defaultTest() {
        return data != null && IdxDataset.isIdxDirectory(data) ? data : null;
    }

    /** Records {@code path} as read by {@code flag}: the file, or the IDX files of a directory. */
    void inputs(PathRules paths, String flag, Path path) {
        if (path != null && Files.isDirectory(path)) {
            IdxDataset.files(path).forEach(f -> paths.input(flag, f));
        } else {
            paths.input(flag, path);
        }
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
