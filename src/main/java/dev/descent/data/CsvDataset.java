package dev.descent.data;

import dev.descent.tensor.Matrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a classification data set from CSV: a header row, numeric feature columns, and the label
 * in the last column. Labels are names; classes are numbered in sorted order of their names
 * (numerically when every name is a whole number). Blank lines are skipped. Every problem is a
 * {@link DataFormatException} naming file:line:column and the value found.
 */
public final class CsvDataset {
    private CsvDataset() {}

    public static Dataset read(Path path) throws DataFormatException {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(path + ": is a directory, expected a CSV file");
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        String[] header = null;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (header == null) {
                    header = cells;
                    if (cells.length < 2) {
                        throw new DataFormatException(path + ":" + lineNo + ": the header names " + cells.length
                                + " column; expected at least one feature and a label");
                    }
                    continue;
                }
                if (cells.length != header.length) {
                    throw new DataFormatException(path + ":" + lineNo + ": " + cells.length + " values, but the header has "
                            + header.length + " columns");
                }
                rows.add(cells);
                lineNumbers.add(lineNo);
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(path + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DataFormatException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new DataFormatException(path + ": cannot read (" + e.getMessage() + ")");
        }
        if (header == null) {
            throw new DataFormatException(path + ": empty file, expected a header row and data rows");
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(path + ": a header but no data rows");
        }
        int features = header.length - 1;
        Matrix x = new Matrix(rows.size(), features);
        String[] labelNames = new String[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            for (int c = 0; c < features; c++) {
                x.set(r, c, number(cells[c], path, lineNumbers.get(r), c + 1));
            }
            labelNames[r] = cells[features].trim();
            if (labelNames[r].isEmpty()) {
                throw new DataFormatException(path + ":" + lineNumbers.get(r) + ":" + (features + 1) + ": empty label");
            }
        }
        Map<String, Integer> classes = classIndex(labelNames);
        int[] labels = new int[rows.size()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = classes.get(labelNames[r]);
        }
        return new Dataset(x, labels, new ArrayList<>(classes.keySet()), path.toString());
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
}
