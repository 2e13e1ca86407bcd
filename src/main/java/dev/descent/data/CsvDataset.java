package dev.descent.data;

import dev.descent.io.Terminal;
import dev.descent.tensor.Matrix;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a classification data set from CSV: numeric feature columns and one label column. Labels
 * are names; classes are numbered in sorted order of their names (numerically when every name is
 * a whole number), or by a given list of class names (a model's, for a test set).
 *
 * <p>The text is RFC 4180 CSV, read by FastCSV: a cell in double quotes may hold the delimiter,
 * line breaks and doubled quotes. The delimiter is given or detected (comma, semicolon or tab,
 * whichever the first line uses most); a UTF-8 byte-order mark and blank lines are skipped. A
 * feature is a decimal number ({@link DecimalCell}); an empty cell, {@code NA} or {@code ?} is a
 * missing value, and missing values are counted over the whole file and refused together
 * ({@link MissingValuesException}) unless their rows are to be dropped. Every other problem is a
 * {@link DataFormatException} naming file:line:column and the value.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /** What a CSV file writes for a value it does not have. */
    static final List<String> MISSING = List.of("", "NA", "?");

    /**
     * How to read the file.
     *
     * @param header      whether the first non-blank line names the columns
     * @param label       the label column: a header name, a 1-based index, or null for the last column
     * @param delimiter   the delimiter, or null to detect comma, semicolon or tab from the first line
     * @param ignore      columns to leave out, by header name or 1-based index
     * @param dropMissing leave out the rows with missing values, rather than refuse the file
     * @param categorical feature columns whose cells are categories whatever they hold (integer
     *                    codes), by header name or 1-based index ({@link #readTable})
     * @param impute      keep rows with missing feature cells, the cells NaN, to be filled
     *                    ({@link #readTable}; {@link Encoding} fills them)
     * @param encoding    a model's encoding: its columns are read as it reads them, and the data set
     *                    returned is encoded; null for none
     * @param ignoreUnknown with an encoding, let a category it does not know through as all zeros
     *                    (counted) rather than refuse it at its cell
     */
    public record Options(boolean header, String label, Character delimiter, List<String> ignore,
            boolean dropMissing, List<String> categorical, boolean impute, Encoding encoding, boolean ignoreUnknown) {
        public static final Options DEFAULT = new Options(true, null);

        public Options {
            ignore = List.copyOf(ignore);
            categorical = List.copyOf(categorical);
        }

        /** A header or not, and the label column; the delimiter detected, no column ignored. */
        public Options(boolean header, String label) {
            this(header, label, null, List.of(), false);
        }

        /** Plain numbers: no column of categories, no imputation, no encoding. */
        public Options(boolean header, String label, Character delimiter, List<String> ignore, boolean dropMissing) {
            this(header, label, delimiter, ignore, dropMissing, List.of(), false, null, false);
        }

        /** These options reading by {@code encoding} (a model's), an unknown category refused or let through. */
        public Options withEncoding(Encoding encoding, boolean ignoreUnknown) {
            return new Options(header, label, delimiter, ignore, dropMissing, List.of(), false, encoding,
                    ignoreUnknown);
        }
    }

    /**
     * A table as read: its rows, with the raw columns ({@code columns}) when any holds categories or
     * cells to impute (their features then categories' indices and NaN, to be encoded by an
     * {@link Encoding}), or with plain numbers ({@code columns} null), ready as they are.
     */
    public record Table(Dataset rows, RawColumns columns) {
        /** The rows, encoded by {@code encoding} where there are raw columns. */
        public Dataset encoded(Encoding encoding) {
            if (columns == null) {
                return rows;
            }
            Features x = encoding.encode(rows.features(), columns).features();
            return new Dataset(x, rows.labels(), rows.classNames(), rows.description(), rows.targets());
        }
    }

    /** Rows of features alone, as a model's prediction reads them, with their raw columns (see {@link Table}). */
    public record FeatureTable(Matrix features, RawColumns columns) {
        public Matrix encoded(Encoding encoding) {
            return columns == null ? features : encoding.encode(Features.of(features), columns).features().toMatrix();
        }
    }

    public static Dataset read(Path path) throws DataFormatException {
        return read(path, Options.DEFAULT, null);
    }

    /**
     * @param classes the class names to number labels by (a model's), or null to take them from the file
     */
    public static Dataset read(Path path, Options options, List<String> classes) throws DataFormatException {
        try (InputStream in = open(path)) {
            return read(in, path.toString(), options, classes);
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /**
     * Reads a data set from a stream (standard input, say), which is not closed.
     *
     * @param name    the source, for messages and the data set's description
     * @param classes the class names to number labels by (a model's), or null to take them from the file
     */
    public static Dataset read(InputStream in, String name, Options options, List<String> classes)
            throws DataFormatException {
        if (options.encoding() != null) { // a model's columns: read as it reads them, encoded
            return readTable(in, name, options, classes).encoded(options.encoding());
        }
        return labelled(CsvTable.read(name, unclosed(in), options), classes);
    }

    /**
     * A classification table whose columns of words (and those {@code options.categorical()}
     * names) hold categories, and whose missing feature cells are kept where {@code options.impute()}:
     * its raw rows and columns, to be encoded by an {@link Encoding} fitted on its training rows.
     * With {@code options.encoding()}, the columns are read as that encoding reads them.
     */
    public static Table readTable(Path path, Options options, List<String> classes) throws DataFormatException {
        try (InputStream in = open(path)) {
            return readTable(in, path.toString(), options, classes);
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /** {@link #readTable(Path, Options, List)} from a stream, which is not closed. */
    public static Table readTable(InputStream in, String name, Options options, List<String> classes)
            throws DataFormatException {
        CsvTable t = CsvTable.readDetecting(name, unclosed(in), options, false);
        return new Table(labelled(t, classes), t.rawColumns());
    }

    /** A regression table, read as {@link #readTable(Path, Options, List)} reads a labelled one. */
    public static Table readRegressionTable(Path path, Options options) throws DataFormatException {
        try (InputStream in = open(path)) {
            return readRegressionTable(in, path.toString(), options);
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /** {@link #readRegressionTable(Path, Options)} from a stream, which is not closed. */
    public static Table readRegressionTable(InputStream in, String name, Options options) throws DataFormatException {
        CsvTable t = CsvTable.readDetecting(name, unclosed(in), options, true);
        return new Table(Dataset.regression(Features.of(t.features()), t.targets(), t.targetNames(), t.description()),
                t.rawColumns());
    }

    /** The labels of a table numbered by {@code classes} (null: the file's, sorted), as a data set. */
    private static Dataset labelled(CsvTable t, List<String> classes) throws DataFormatException {
        String[] names = t.labels();
        Map<String, Integer> index = classes == null ? classIndex(names) : given(classes);
        int[] labels = new int[names.length];
        for (int r = 0; r < labels.length; r++) {
            Integer c = index.get(names[r]);
            if (c == null) {
                throw new DataFormatException(t.at(r, t.labelColumn()) + ": label '" + Terminal.shown(names[r])
                        + "' is not one of the model's classes [" + Terminal.list(classes) + "]");
            }
            labels[r] = c;
        }
        return new Dataset(t.features(), labels, new ArrayList<>(index.keySet()), t.description());
    }

    /**
     * Reads a regression data set: numeric features and one or more numeric target columns, named
     * by {@code options.label()} (header names or 1-based numbers, separated by commas), or the
     * last column. The file is read as {@link #read(Path, Options, List)} reads one: delimiter,
     * ignored columns and missing values alike; a target is a decimal number as a feature is.
     */
    public static Dataset readRegression(Path path, Options options) throws DataFormatException {
        try (InputStream in = open(path)) {
            return readRegression(in, path.toString(), options);
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /** {@link #readRegression(Path, Options)} from a stream, which is not closed. */
    public static Dataset readRegression(InputStream in, String name, Options options) throws DataFormatException {
        if (options.encoding() != null) {
            return readRegressionTable(in, name, options).encoded(options.encoding());
        }
        CsvTable t = CsvTable.readRegression(name, unclosed(in), options);
        return Dataset.regression(Features.of(t.features()), t.targets(), t.targetNames(), t.description());
    }

    /**
     * Reads only features, for prediction: after the ignored columns, a row of {@code features}
     * values, or of {@code features + 1} with a label column (by {@code options.label()}, or the
     * last) that is ignored.
     */
    public static Matrix readFeatures(Path path, Options options, int features) throws DataFormatException {
        return readFeatures(path, options, features, 1);
    }

    /**
     * The same for a model with {@code labels} outputs to leave out (a regression model's
     * targets): a row of {@code features} values, or of {@code features + labels} with the label
     * columns named by {@code options.label()} (for one, the last column when not named).
     */
    public static Matrix readFeatures(Path path, Options options, int features, int labels)
            throws DataFormatException {
        try (InputStream in = open(path)) {
            return readFeatures(in, path.toString(), options, features, labels);
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /** {@link #readFeatures(Path, Options, int)} from a stream, which is not closed. */
    public static Matrix readFeatures(InputStream in, String name, Options options, int features)
            throws DataFormatException {
        return readFeatures(in, name, options, features, 1);
    }

    /**
     * {@link #readFeatures(Path, Options, int, int)} from a stream, which is not closed. With
     * {@code options.encoding()}, the raw columns that encoding reads ({@code features} is then
     * its input width, or its raw columns), encoded.
     */
    public static Matrix readFeatures(InputStream in, String name, Options options, int features, int labels)
            throws DataFormatException {
        return readFeatureTable(in, name, options, features, labels).encoded(options.encoding());
    }

    /** Features for prediction with their raw columns, for a caller that encodes them itself (and counts the unknown). */
    public static FeatureTable readFeatureTable(Path path, Options options, int features, int labels)
            throws DataFormatException {
        try (InputStream in = open(path)) {
            return readFeatureTable(in, path.toString(), options, features, labels);
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /** {@link #readFeatureTable(Path, Options, int, int)} from a stream, which is not closed. */
    public static FeatureTable readFeatureTable(InputStream in, String name, Options options, int features,
            int labels) throws DataFormatException {
        int raw = options.encoding() != null ? options.encoding().rawColumns() : features;
        CsvTable t = CsvTable.readFeatures(name, unclosed(in), options, raw, labels);
        return new FeatureTable(t.features(), t.rawColumns());
    }

    /** The stream, with close() left to its owner (standard input stays open). */
    private static InputStream unclosed(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {}
        };
    }

    private static InputStream open(Path path) throws DataFormatException {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(path + ": is a directory, expected a CSV file");
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(path + ": no such file");
        } catch (IOException e) {
            throw CsvRows.failure(path.toString(), e);
        }
    }

    /** Class names to indices, in sorted order: numeric when all names are whole numbers. */
    private static Map<String, Integer> classIndex(String[] names) {
        boolean numeric = true;
        for (String n : names) {
            numeric &= n.matches("-?\\d{1,18}");
        }
        TreeMap<String, Integer> sorted = numeric
                ? new TreeMap<>((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)))
                : new TreeMap<>();
        for (String n : names) {
            sorted.put(n, 0);
        }
        int i = 0;
        for (Map.Entry<String, Integer> e : sorted.entrySet()) {
            e.setValue(i++);
        }
        return sorted;
    }

    private static Map<String, Integer> given(List<String> classes) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        return index;
    }
}
