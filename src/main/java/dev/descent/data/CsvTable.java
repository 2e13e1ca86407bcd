package dev.descent.data;

import dev.descent.io.Terminal;
import dev.descent.tensor.Matrix;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of a CSV file, read in one pass: the header's columns resolved (label, left out,
 * features), then every row's features parsed into blocks as it comes, with its label and line.
 * Missing values are counted over the whole file before they are refused, so the message can say
 * how many there are. For regression the label is one or more numeric target columns, parsed as
 * the features are.
 *
 * <p>Columns of categories ({@link RawColumns}): where the reader is told to detect them, a
 * feature column whose first cell is a word (not a number, nor a number mistyped: a cell that
 * starts with a digit is read as a number) holds categories, and one whose cells are numbers and
 * words is refused at the first word, with a hint to name it with {@code --categorical}; columns
 * named as categorical hold categories whatever their cells; with a given {@link Encoding}, its
 * columns are read as it reads them, and a category it does not know is refused at its cell or let
 * through (counted). A category is stored as its index in the column's list of categories; a
 * missing cell, where cells are to be filled, as NaN.
 */
final class CsvTable {
    /**
     * A feature column's kind: not known yet (decided by its first cell), numbers, categories, or
     * numbers or words as its first cell decided (whose other cells must agree).
     */
    private static final byte UNDECIDED = 0, NUMBERS = 1, CATEGORIES = 2, DETECTED_NUMBERS = 3, DETECTED_WORDS = 4;
    /** Rows per block of features at most: blocks are copied once into the matrix at the end. */
    private static final int BLOCK = 1024;
    /** Values per block at most (8 MB), so that a block of a very wide file is a few rows, not gigabytes. */
    private static final int BLOCK_VALUES = 1 << 20;

    private final String name;
    private final CsvDataset.Options options;
    private final boolean regression;
    private String[] header;
    private int width;
    private int labelColumn = -1;
    private int[] featureColumns;
    private boolean[] ignored;
    private char delimiter;
    private boolean detected;
    /** Regression's target columns (parsed), or the several target columns prediction leaves out (not parsed). */
    private int[] targetColumns = new int[0];

    private final List<double[]> blocks = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private long[] lines = new long[BLOCK];
    private double[] targets = new double[0];
    private double[] rowTargets = new double[0];
    private int rows;
    private long missingValues;
    private int missingRows;
    private String firstMissing;

    // columns of categories
    private final boolean detect;
    private byte[] kind;
    private List<Map<String, Integer>> dictionaries;
    private boolean[] keepMissing;
    private String[] firstWord, firstNumber; // file:line:column 'cell', for a column's refusal
    private long unknown;

    private CsvTable(String name, CsvDataset.Options options, boolean regression) {
        this(name, options, regression, false);
    }

    /** @param detect whether columns of words are read as categories (a training file); else every column is numbers */
    private CsvTable(String name, CsvDataset.Options options, boolean regression, boolean detect) {
        this.name = name;
        this.options = options;
        this.regression = regression;
        this.detect = detect;
    }

    /** A table whose columns of words are categories: labelled, or with regression's targets. */
    static CsvTable readDetecting(String name, InputStream in, CsvDataset.Options options, boolean regression)
            throws DataFormatException {
        CsvTable t = new CsvTable(name, options, regression, true);
        t.load(in, -1, 1);
        return t;
    }

    /** A labelled table: features and a label column. */
    static CsvTable read(String name, InputStream in, CsvDataset.Options options) throws DataFormatException {
        CsvTable t = new CsvTable(name, options, false);
        t.load(in, -1, 1);
        return t;
    }

    /** A regression table: features and one or more numeric target columns ({@code options.label()}, or the last). */
    static CsvTable readRegression(String name, InputStream in, CsvDataset.Options options)
            throws DataFormatException {
        CsvTable t = new CsvTable(name, options, true);
        t.load(in, -1, 1);
        return t;
    }

    /** Features for a model of {@code features} inputs, with or without a label column. */
    static CsvTable readFeatures(String name, InputStream in, CsvDataset.Options options, int features)
            throws DataFormatException {
        return readFeatures(name, in, options, features, 1);
    }

    /**
     * Features for a model of {@code features} inputs and {@code labels} outputs, with or without
     * that many label (target) columns, which are left out unread.
     */
    static CsvTable readFeatures(String name, InputStream in, CsvDataset.Options options, int features, int labels)
            throws DataFormatException {
        CsvTable t = new CsvTable(name, options, false);
        t.load(in, features, labels);
        return t;
    }

    /**
     * @param features the number of features expected, or -1 for a labelled set
     * @param labels   the number of label columns a row of features may also have (prediction)
     */
    private void load(InputStream in, int features, int labels) throws DataFormatException {
        try (CsvRows csv = CsvRows.open(name, in, options.delimiter())) {
            delimiter = csv.delimiter();
            detected = csv.detected();
            CsvRows.Row first = csv.next();
            if (first == null) {
                throw new DataFormatException(name + ": empty file, expected "
                        + (options.header() ? "a header row and " : "") + "data rows");
            }
            width = first.size();
            if (width < 2) {
                throw new DataFormatException(name + ":" + first.line() + ": 1 column; expected at least one feature "
                        + "and a label, separated by " + (detected ? "commas, semicolons or tabs" : delimiterName() + "s"));
            }
            if (options.header()) {
                header = new String[width];
                for (int c = 0; c < width; c++) {
                    header[c] = trim(first.cell(c));
                }
            }
            resolveColumns(features, labels);
            if (!options.header()) {
                add(first);
            }
            for (CsvRows.Row row; (row = csv.next()) != null; ) {
                add(row);
            }
        } catch (IOException e) {
            throw CsvRows.failure(name, e);
        }
        if (rows == 0) {
            throw new DataFormatException(name + (missingRows > 0 ? ": every row has a missing value"
                    : ": a header but no data rows"));
        }
        if (missingValues > 0 && !options.dropMissing()) {
            throw new MissingValuesException(name + ": " + missingValues + " missing value"
                    + (missingValues == 1 ? "" : "s") + " in " + missingRows + " row" + (missingRows == 1 ? "" : "s")
                    + ", first at " + firstMissing, missingValues, missingRows);
        }
    }

    private void resolveColumns(int features, int labels) throws DataFormatException {
        ignored = new boolean[width];
        for (String spec : options.ignore()) {
            ignored[column(spec, "no column '" + shown(spec) + "' to leave out")] = true;
        }
        int kept = 0;
        for (boolean i : ignored) {
            kept += i ? 0 : 1;
        }
        if (features < 0 && regression) {
            targetColumns = findTargetColumns();
        } else if (features < 0) {
            labelColumn = findLabelColumn();
        } else if (kept == features && options.label() == null) {
            labelColumn = -1;
        } else if (kept == features + labels && labels == 1) {
            labelColumn = findLabelColumn();
        } else if (kept == features + labels && options.label() != null) {
            targetColumns = findTargetColumns();
            if (targetColumns.length != labels) {
                throw new DataFormatException(name + ": --label names " + targetColumns.length + " column"
                        + (targetColumns.length == 1 ? "" : "s") + ", but the model predicts " + labels + " targets");
            }
        } else {
            String withLabels = labels == 1 ? (features + 1) + " with a label"
                    : (features + labels) + " with its " + labels + " targets named by --label";
            throw new DataFormatException(name + ": " + width + " columns"
                    + (kept != width ? " (" + kept + " not left out)" : "") + ", but the model takes " + features
                    + " features (give " + features + " columns, or " + withLabels + ")");
        }
        if (features < 0 && kept < 2) {
            throw new DataFormatException(name + ": " + kept + " column" + (kept == 1 ? "" : "s")
                    + " not left out; expected at least one feature and a " + (regression ? "target" : "label"));
        }
        if (features < 0 && kept - targetColumns.length < 1) {
            throw new DataFormatException(name + ": every column is a target; at least one must be a feature");
        }
        boolean[] label = new boolean[width];
        for (int c : targetColumns) {
            label[c] = true;
        }
        if (labelColumn >= 0) {
            label[labelColumn] = true;
        }
        featureColumns = new int[kept - (labelColumn >= 0 ? 1 : 0) - targetColumns.length];
        for (int c = 0, f = 0; c < width; c++) {
            if (!ignored[c] && !label[c]) {
                featureColumns[f++] = c;
            }
        }
        rowTargets = new double[regression ? targetColumns.length : 0];
        resolveKinds();
    }

    /**
     * Each feature column's kind: a given encoding's, or numbers (a reader that does not detect),
     * or categories where named, else decided by the first cell; and whether its missing cells are kept.
     */
    private void resolveKinds() throws DataFormatException {
        int nf = featureColumns.length;
        kind = new byte[nf];
        keepMissing = new boolean[nf];
        dictionaries = new ArrayList<>();
        firstWord = new String[nf];
        firstNumber = new String[nf];
        for (int f = 0; f < nf; f++) {
            dictionaries.add(null);
        }
        Encoding encoding = options.encoding();
        if (encoding != null) {
            if (nf != encoding.rawColumns()) {
                throw new DataFormatException(name + ": " + nf + " feature column" + (nf == 1 ? "" : "s")
                        + ", but the model reads " + encoding.rawColumns() + ": " + encoding.names());
            }
            for (int f = 0; f < nf; f++) {
                Encoding.Column c = encoding.columns().get(f);
                if (header != null && !header[featureColumns[f]].equals(c.name())) {
                    throw new DataFormatException(name + ": feature column " + (f + 1) + " is '"
                            + shown(header[featureColumns[f]]) + "' but the model's is '" + shown(c.name())
                            + "'; its columns are " + encoding.names());
                }
                kind[f] = c.categorical() ? CATEGORIES : NUMBERS;
                keepMissing[f] = c.imputed();
                if (c.categorical()) {
                    Map<String, Integer> known = new LinkedHashMap<>(); // ids in this order: rawColumns() lists the keys
                    for (String k : c.known()) {
                        known.put(k, known.size());
                    }
                    dictionaries.set(f, known);
                }
            }
            return;
        }
        java.util.Arrays.fill(kind, detect ? UNDECIDED : NUMBERS);
        java.util.Arrays.fill(keepMissing, detect && options.impute());
        if (!detect && (!options.categorical().isEmpty() || options.impute())) {
            throw new IllegalArgumentException("categorical columns and imputation are read by CsvDataset.readTable");
        }
        for (String spec : options.categorical()) {
            if (spec.trim().isEmpty()) {
                throw new DataFormatException(name + ": --categorical names an empty column");
            }
            int c = column(spec, "no column '" + shown(spec) + "' to read as categories");
            int f = java.util.Arrays.binarySearch(featureColumns, c);
            if (f < 0) {
                throw new DataFormatException(name + ": column '" + shown(spec) + "' is "
                        + (ignored[c] ? "left out (--ignore)" : "the label") + ", not a feature to read as categories");
            }
            kind[f] = CATEGORIES;
        }
        for (int f = 0; f < nf; f++) {
            if (kind[f] == CATEGORIES) {
                dictionaries.set(f, new LinkedHashMap<>());
            }
        }
    }

    /**
     * The target columns: those {@code options.label()} names, separated by commas (a header name
     * that itself holds a comma is taken whole), or the last column not left out.
     */
    private int[] findTargetColumns() throws DataFormatException {
        if (options.label() == null) {
            return new int[] {findLabelColumn()};
        }
        String whole = options.label().trim();
        List<String> specs = header != null && Arrays.asList(header).contains(whole) ? List.of(whole)
                : Arrays.asList(options.label().split(",", -1));
        int[] columns = new int[specs.size()];
        for (int i = 0; i < columns.length; i++) {
            String spec = specs.get(i).trim();
            int c = column(spec, "no label column '" + shown(spec) + "'");
            if (ignored[c]) {
                throw new DataFormatException(name + ": the target column '" + shown(spec) + "' is also left out");
            }
            for (int j = 0; j < i; j++) {
                if (columns[j] == c) {
                    throw new DataFormatException(name + ": target column '" + shown(spec) + "' is given twice");
                }
            }
            columns[i] = c;
        }
        return columns;
    }

    private int findLabelColumn() throws DataFormatException {
        if (options.label() == null) {
            for (int c = width - 1; ; c--) {
                if (!ignored[c]) {
                    return c;
                }
            }
        }
        int c = column(options.label(), "no label column '" + shown(options.label()) + "'");
        if (ignored[c]) {
            throw new DataFormatException(name + ": the label column '" + shown(options.label()) + "' is also left out");
        }
        return c;
    }

    /**
     * A column by header name or number from 1. A name that the header gives to two columns is
     * refused, naming both: taking the first would feed the other to the network unnoticed (a
     * join that duplicated the label column leaks it as a feature).
     */
    private int column(String spec, String notFound) throws DataFormatException {
        String name = spec.trim();
        if (header != null) {
            int found = -1;
            for (int c = 0; c < width; c++) {
                if (header[c].equals(name)) {
                    if (found >= 0) {
                        throw new DataFormatException(this.name + ": the header names two columns '" + shown(name)
                                + "', " + (found + 1) + " and " + (c + 1) + "; give the column by its number");
                    }
                    found = c;
                }
            }
            if (found >= 0) {
                return found;
            }
        }
        try {
            int index = Integer.parseInt(name);
            if (index >= 1 && index <= width) {
                return index - 1;
            }
        } catch (NumberFormatException e) {
            // not a number either
        }
        throw new DataFormatException(this.name + ": " + notFound + "; "
                + (header != null ? "the header names " + Terminal.list(Arrays.asList(header)) + ", or give " : "give ")
                + "a column number from 1 to " + width);
    }

    private void add(CsvRows.Row row) throws DataFormatException {
        if (row.size() != width) {
            throw new DataFormatException(name + ":" + row.line() + ": " + row.size() + " values, but "
                    + (header != null ? "the header has " : "the first row has ") + width + " columns");
        }
        int nf = featureColumns.length, per = blockRows();
        if ((long) (rows + 1) * nf > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(name + ":" + row.line() + ": more than " + rows + " rows of " + nf
                    + " features is more values than one Java array holds; use fewer rows or columns");
        }
        if (rows % per == 0 && blocks.size() == rows / per) {
            blocks.add(new double[per * nf]);
        }
        double[] block = blocks.get(rows / per);
        int offset = (rows % per) * nf;
        int missing = 0;
        for (int f = 0; f < nf; f++) {
            int c = featureColumns[f];
            String cell = trim(row.cell(c));
            if (isMissing(cell)) {
                if (keepMissing[f]) {
                    block[offset + f] = Double.NaN;
                } else {
                    missing += missing(row, c);
                }
                continue;
            }
            byte k = kind[f];
            if (k == NUMBERS) {
                block[offset + f] = number(row, c, cell);
            } else {
                double v = k == DETECTED_NUMBERS ? DecimalCell.parse(cell) : Double.NaN;
                block[offset + f] = Double.isFinite(v) ? v : cell(f, row, c, cell);
            }
        }
        String label = labelColumn >= 0 ? trim(row.cell(labelColumn)) : null;
        if (label != null && isMissing(label)) {
            missing += missing(row, labelColumn);
        }
        for (int k = 0; k < targetColumns.length; k++) {
            int c = targetColumns[k];
            String cell = trim(row.cell(c));
            if (isMissing(cell)) {
                missing += missing(row, c);
            } else if (regression) {
                rowTargets[k] = number(row, c, cell);
            }
        }
        if (missing > 0) {
            missingRows++;
            return; // not kept: dropped, or the whole file is refused at the end
        }
        if (label != null) {
            labels.add(label);
        }
        if (rowTargets.length > 0) {
            int t = rowTargets.length;
            if ((long) (rows + 1) * t > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(name + ":" + row.line() + ": more than " + rows + " rows of " + t
                        + " targets is more values than one Java array holds; use fewer rows");
            }
            if ((rows + 1) * t > targets.length) {
                targets = Arrays.copyOf(targets, (int) Math.min(Integer.MAX_VALUE - 8L,
                        Math.max((long) BLOCK * t, 2L * targets.length)));
            }
            System.arraycopy(rowTargets, 0, targets, rows * t, t);
        }
        if (rows == lines.length) {
            lines = Arrays.copyOf(lines, 2 * rows);
        }
        lines[rows++] = row.line();
    }

    /**
     * A cell of a column of categories (or one whose kind its first cell decides): the index of
     * its category, added to the column's list, or for a given encoding looked up in it.
     */
    private double cell(int f, CsvRows.Row row, int c, String cell) throws DataFormatException {
        if (kind[f] != CATEGORIES) { // detecting: the first cell decides, the others must agree
            boolean word = isWord(cell);
            String where = name + ":" + row.line() + ":" + (c + 1) + " '" + shown(cell) + "'";
            if (word && kind[f] == DETECTED_NUMBERS) {
                throw new DataFormatException(name + ":" + row.line() + ":" + (c + 1) + ": '" + shown(cell)
                        + "' is not a number, and column '" + shown(columnName(c)) + "' holds numbers (first at "
                        + firstNumber[f] + "); if its cells are categories, name it with --categorical "
                        + shown(columnName(c)));
            }
            if (!word && kind[f] == DETECTED_WORDS) {
                throw new DataFormatException(name + ":" + row.line() + ":" + (c + 1) + ": '" + shown(cell)
                        + "' is a number in column '" + shown(columnName(c)) + "', whose cells above are words (first "
                        + "at " + firstWord[f] + "); name it with --categorical " + shown(columnName(c))
                        + " to read every cell as a category, or correct the cell");
            }
            if (!word) { // a number, or a number's mistake, told as that
                if (kind[f] == UNDECIDED) {
                    kind[f] = DETECTED_NUMBERS;
                    firstNumber[f] = where;
                }
                return number(row, c, cell);
            }
            if (kind[f] == UNDECIDED) {
                kind[f] = DETECTED_WORDS;
                firstWord[f] = where;
                dictionaries.set(f, new LinkedHashMap<>());
            }
        }
        Map<String, Integer> dictionary = dictionaries.get(f);
        Integer id = dictionary.get(cell);
        if (id != null) {
            return id;
        }
        Encoding encoding = options.encoding();
        if (encoding != null) {
            if (!options.ignoreUnknown()) {
                throw new DataFormatException(name + ":" + row.line() + ":" + (c + 1) + ": "
                        + Encoding.unknown(encoding.columns().get(f), cell)
                        + "; --unknown-category ignore encodes it as all zeros");
            }
            unknown++;
            return -1;
        }
        if (dictionary.size() >= MAX_CATEGORIES) {
            throw new DataFormatException(name + ":" + row.line() + ":" + (c + 1) + ": column '" + shown(columnName(c))
                    + "' has more than " + MAX_CATEGORIES + " categories; leave it out with --ignore "
                    + shown(columnName(c)));
        }
        dictionary.put(cell, dictionary.size());
        return dictionary.size() - 1;
    }

    /** The most categories a column may hold: each becomes an input of the network. */
    static final int MAX_CATEGORIES = 100_000;

    /**
     * A word, not a number: neither a decimal, nor a word for an infinity or NaN, nor a number
     * written another way (a cell that starts with a digit: {@code 1,5}, {@code 2f}, {@code 0x1p3}),
     * each of which is a number's mistake to be told as one.
     */
    private static boolean isWord(String cell) {
        if (Double.isFinite(DecimalCell.parse(cell)) || isNonFiniteWord(cell)) {
            return false;
        }
        int i = cell.startsWith("-") || cell.startsWith("+") ? 1 : 0;
        if (i < cell.length() && cell.charAt(i) == '.') {
            i++;
        }
        return !(i < cell.length() && cell.charAt(i) >= '0' && cell.charAt(i) <= '9');
    }

    /** A column's name: the header's, or {@code column 3}. */
    private String columnName(int c) {
        return header != null ? header[c] : "column " + (c + 1);
    }

    /**
     * The feature columns as read, when any holds categories or keeps missing cells for
     * imputation (else null: a table of plain numbers). A column whose kind was never decided
     * (every cell missing) is numbers.
     */
    RawColumns rawColumns() {
        boolean any = false;
        List<String> names = new ArrayList<>();
        List<List<String>> categories = new ArrayList<>();
        for (int f = 0; f < featureColumns.length; f++) {
            names.add(columnName(featureColumns[f]));
            Map<String, Integer> d = dictionaries.get(f);
            boolean categorical = kind[f] == CATEGORIES || kind[f] == DETECTED_WORDS;
            categories.add(categorical ? new ArrayList<>(d.keySet()) : null);
            any |= categorical || keepMissing[f];
        }
        return any || options.encoding() != null ? new RawColumns(names, categories, unknown) : null;
    }

    /** A cell that must be a finite decimal number, or a message naming file:line:column. */
    private double number(CsvRows.Row row, int c, String cell) throws DataFormatException {
        double v = DecimalCell.parse(cell);
        if (!Double.isFinite(v)) {
            throw new DataFormatException(name + ":" + row.line() + ":" + (c + 1) + ": '" + shown(cell) + "' is not "
                    + (Double.isNaN(v) && !isNonFiniteWord(cell) ? "a number" : "a finite number"));
        }
        return v;
    }

    private int missing(CsvRows.Row row, int column) {
        if (missingValues++ == 0) {
            firstMissing = name + ":" + row.line() + ":" + (column + 1);
        }
        return 1;
    }

    /** One of {@link CsvDataset#MISSING}: an empty cell, NA or ?. */
    private static boolean isMissing(String cell) {
        return cell.isEmpty() || cell.equals("NA") || cell.equals("?");
    }

    private static boolean isNonFiniteWord(String cell) {
        String s = cell.startsWith("-") || cell.startsWith("+") ? cell.substring(1) : cell;
        s = s.toLowerCase(Locale.ROOT);
        return s.equals("nan") || s.equals("infinity") || s.equals("inf");
    }

    /** Spaces and tabs around a cell are not part of it; nothing else is trimmed (a NUL byte stays, and is refused). */
    static String trim(String cell) {
        int from = 0, to = cell.length();
        while (from < to && (cell.charAt(from) == ' ' || cell.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (cell.charAt(to - 1) == ' ' || cell.charAt(to - 1) == '\t')) {
            to--;
        }
        return from == 0 && to == cell.length() ? cell : cell.substring(from, to);
    }

    /** A cell as it can be printed on one line: control characters escaped, long cells cut ({@link Terminal#shown}). */
    static String shown(String cell) {
        return Terminal.shown(cell);
    }

    Matrix features() {
        int nf = featureColumns.length, per = blockRows();
        double[] data = new double[rows * nf];
        for (int b = 0; b < blocks.size(); b++) {
            int from = b * per * nf;
            System.arraycopy(blocks.get(b), 0, data, from, Math.min(per * nf, data.length - from));
        }
        return new Matrix(rows, nf, data);
    }

    /** Rows per block for this file's width. */
    private int blockRows() {
        return Math.max(1, Math.min(BLOCK, BLOCK_VALUES / Math.max(1, featureColumns.length)));
    }

    String[] labels() {
        return labels.toArray(String[]::new);
    }

    /** A regression table's targets: (rows, target columns). */
    Matrix targets() {
        int t = targetColumns.length;
        return new Matrix(rows, t, Arrays.copyOf(targets, rows * t));
    }

    /** A regression table's target names: the header's, or {@code y3} for column 3 without one. */
    List<String> targetNames() {
        List<String> names = new ArrayList<>();
        for (int c : targetColumns) {
            names.add(header != null ? header[c] : "y" + (c + 1));
        }
        return names;
    }

    int labelColumn() {
        return labelColumn;
    }

    /** {@code file:line:column} of a kept row's cell. */
    String at(int row, int column) {
        return name + ":" + lines[row] + ":" + (column + 1);
    }

    private String delimiterName() {
        return CsvRows.describe(delimiter);
    }

    /**
     * The source and how it was read, when that is not the plain default: {@code iris.csv,
     * semicolon-separated (detected), without id, 3 rows with missing values left out}. Names
     * escaped and cut as {@link Terminal#shown} does: a description is printed in headers.
     */
    String description() {
        StringBuilder d = new StringBuilder(Terminal.escape(name));
        if (delimiter != ',') {
            d.append(", ").append(delimiterName()).append("-separated").append(detected ? " (detected)" : "");
        }
        List<String> left = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            if (ignored[c]) {
                left.add(header != null ? Terminal.shown(header[c]) : "column " + (c + 1));
            }
        }
        if (!left.isEmpty()) {
            d.append(", without ").append(String.join(", ", left));
        }
        if (missingRows > 0) {
            d.append(", ").append(missingRows).append(missingRows == 1 ? " row" : " rows")
                    .append(" with missing values left out");
        }
        if (unknown > 0) {
            d.append(", ").append(unknown).append(unknown == 1 ? " cell" : " cells")
                    .append(" of categories unseen in training as all zeros");
        }
        return d.toString();
    }
}
