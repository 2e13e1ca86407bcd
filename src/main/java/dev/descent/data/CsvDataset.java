package dev.descent.data;

import dev.descent.tensor.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a classification data set from CSV: numeric feature columns and one label column. Labels
 * are names; classes are numbered in sorted order of their names (numerically when every name is
 * a whole number), or by a given list of class names (a model's, for a test set). Blank lines are
 * skipped. Every problem is a {@link DataFormatException} naming file:line:column and the value.
 */
public final class CsvDataset {
    private CsvDataset() {}

    /**
     * How to read the file.
     *
     * @param header whether the first non-blank line names the columns
     * @param label  the label column: a header name, a 1-based index, or null for the last column
     */
    public record Options(boolean header, String label) {
        public static final Options DEFAULT = new Options(true, null);
    }

    /** The cells of a CSV file, with the line number of each row and the header if any. */
    record Table(Path path, String[] header, List<String[]> rows, List<Integer> lines) {
        int columns() {
            return header != null ? header.length : rows.get(0).length;
        }
    }

    public static Dataset read(Path path) throws DataFormatException {
        return read(path, Options.DEFAULT, null);
    }

    /**
     * @param classes the class names to number labels by (a model's), or null to take them from the file
     */
    public static Dataset read(Path path, Options options, List<String> classes) throws DataFormatException {
        Table t = table(path, options.header());
        int labelColumn = labelColumn(t, options.label());
        int features = t.columns() - 1;
        Matrix x = new Matrix(t.rows().size(), features);
        String[] names = new String[t.rows().size()];
        for (int r = 0; r < names.length; r++) {
            String[] cells = t.rows().get(r);
            for (int c = 0, f = 0; c < cells.length; c++) {
                if (c != labelColumn) {
                    x.set(r, f++, number(cells[c], path, t.lines().get(r), c + 1));
                }
            }
            names[r] = cells[labelColumn].trim();
            if (names[r].isEmpty()) {
                throw new DataFormatException(path + ":" + t.lines().get(r) + ":" + (labelColumn + 1) + ": empty label");
            }
        }
        Map<String, Integer> index = classes == null ? classIndex(names) : given(classes);
        int[] labels = new int[names.length];
        for (int r = 0; r < labels.length; r++) {
            Integer c = index.get(names[r]);
            if (c == null) {
                throw new DataFormatException(path + ":" + t.lines().get(r) + ":" + (labelColumn + 1) + ": label '"
                        + names[r] + "' is not one of the model's classes " + classes);
            }
            labels[r] = c;
        }
        return new Dataset(x, labels, new ArrayList<>(index.keySet()), path.toString());
    }

    /**
     * Reads a regression data set: numeric features and one or more numeric target columns,
     * {@code targets} (header names or 1-based numbers, comma-separated), or the last column.
     */
    public static Dataset readRegression(Path path, Options options) throws DataFormatException {
        Table t = table(path, options.header());
        List<Integer> columns = new ArrayList<>();
        for (String name : options.label() == null ? new String[] {null} : options.label().split(",")) {
            int c = labelColumn(t, name == null ? null : name.trim());
            if (columns.contains(c)) {
                throw new DataFormatException(path + ": target column '" + name.trim() + "' is given twice");
            }
            columns.add(c);
        }
        if (columns.size() >= t.columns()) {
            throw new DataFormatException(path + ": every column is a target; at least one must be a feature");
        }
        int n = t.rows().size(), k = columns.size();
        Matrix x = new Matrix(n, t.columns() - k), y = new Matrix(n, k);
        for (int r = 0; r < n; r++) {
            String[] cells = t.rows().get(r);
            for (int c = 0, f = 0; c < cells.length; c++) {
                double v = number(cells[c], path, t.lines().get(r), c + 1);
                int target = columns.indexOf(c);
                if (target >= 0) {
                    y.set(r, target, v);
                } else {
                    x.set(r, f++, v);
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int c : columns) {
            names.add(t.header() != null ? t.header()[c].trim() : "y" + (c + 1));
        }
        return Dataset.regression(Features.of(x), y, names, path.toString());
    }

    /**
     * Reads only features, for prediction: a row of {@code features} values, or of {@code features + 1}
     * with a label column (by {@code options.label()}, or the last) that is ignored.
     */
    public static Matrix readFeatures(Path path, Options options, int features) throws DataFormatException {
        Table t = table(path, options.header());
        int skip;
        if (t.columns() == features && options.label() == null) {
            skip = -1;
        } else if (t.columns() == features + 1) {
            skip = labelColumn(t, options.label());
        } else {
            throw new DataFormatException(path + ": " + t.columns() + " columns, but the model takes " + features
                    + " features (give " + features + " columns, or " + (features + 1) + " with a label)");
        }
        Matrix x = new Matrix(t.rows().size(), features);
        for (int r = 0; r < t.rows().size(); r++) {
            String[] cells = t.rows().get(r);
            for (int c = 0, f = 0; c < cells.length; c++) {
                if (c != skip) {
                    x.set(r, f++, number(cells[c], path, t.lines().get(r), c + 1));
                }
            }
        }
        return x;
    }

    static Table table(Path path, boolean hasHeader) throws DataFormatException {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(path + ": is a directory, expected a CSV file");
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] header = null;
        int width = -1;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (width < 0) {
                    width = cells.length;
                    if (width < 2) {
                        throw new DataFormatException(path + ":" + lineNo + ": " + width + " column; expected at least "
                                + "one feature and a label, separated by commas");
                    }
                    if (hasHeader) {
                        header = cells;
                        continue;
                    }
                }
                if (cells.length != width) {
                    throw new DataFormatException(path + ":" + lineNo + ": " + cells.length + " values, but "
                            + (header != null ? "the header has " : "the first row has ") + width + " columns");
                }
                rows.add(cells);
                lines.add(lineNo);
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(path + ": no such file");
        } catch (CharacterCodingException e) {
            throw new DataFormatException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot read (" + e.getMessage() + ")");
        }
        if (width < 0) {
            throw new DataFormatException(path + ": empty file, expected " + (hasHeader ? "a header row and " : "")
                    + "data rows");
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(path + ": a header but no data rows");
        }
        return new Table(path, header, rows, lines);
    }

    private static int labelColumn(Table t, String label) throws DataFormatException {
        int columns = t.columns();
        if (label == null) {
            return columns - 1;
        }
        if (t.header() != null) {
            for (int c = 0; c < columns; c++) {
                if (t.header()[c].trim().equals(label)) {
                    return c;
                }
            }
        }
        try {
            int index = Integer.parseInt(label.trim());
            if (index >= 1 && index <= columns) {
                return index - 1;
            }
        } catch (NumberFormatException e) {
            // not an index either
        }
        throw new DataFormatException(t.path() + ": no label column '" + label + "'; "
                + (t.header() != null ? "the header names " + String.join(", ", t.header()) + ", or give " : "give ")
                + "a column number from 1 to " + columns);
    }

    private static double number(String cell, Path path, int line, int column) throws DataFormatException {
        String s = cell.trim();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataFormatException(path + ":" + line + ":" + column + ": '" + s + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new DataFormatException(path + ":" + line + ":" + column + ": '" + s + "' is not a finite number");
        }
        return v;
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
        Map<String, Integer> index = new java.util.LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        return index;
    }
}
