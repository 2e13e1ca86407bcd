package dev.descent.data;

import dev.descent.io.Terminal;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a table's raw columns become the network's inputs, fitted on the training split only and
 * kept in the model, so that prediction sees the same: a numeric column is one input, its missing
 * cells filled with the training split's mean or median ({@code --impute}); a column of
 * categories is one-hot encoded (scikit-learn's {@code OneHotEncoder}), one input per category
 * of the training split in sorted order, then one "other" input for the categories rarer than
 * {@code --min-category-count} (all of them folded into it), then, with imputation and where the
 * training split had missing cells, one input for "missing". A category the training split never
 * had is all zeros (or refused, where the reader is told to: {@code --unknown-category error}).
 *
 * <p>Categories sort as strings, or as numbers when every one is a whole number (integer codes
 * read with {@code --categorical}), as class names do.
 */
public final class Encoding {
    /** How missing numeric cells are filled: not at all (refused), or by the training split's mean or median. */
    public enum Impute {
        NONE, MEAN, MEDIAN;

        /** none, mean or median. */
        public static Impute of(String name) {
            for (Impute i : values()) {
                if (i.name().equalsIgnoreCase(name.trim())) {
                    return i;
                }
            }
            throw new IllegalArgumentException("'" + name + "' is not mean or median");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The name of the input that rare categories share, and of the one for missing cells, in feature names. */
    public static final String OTHER = "(other)", MISSING = "(missing)";

    /**
     * One raw column.
     *
     * @param name          its name in the file
     * @param categories    for a column of categories, those with an input of their own, in order; null for a number
     * @param other         the rare categories that share one "other" input (empty: no such input)
     * @param missingColumn whether missing cells have an input of their own
     * @param imputed       whether missing cells are accepted (filled, or their own category, or all zeros)
     * @param fill          a numeric column's value for missing cells (NaN: none)
     */
    public record Column(String name, List<String> categories, List<String> other, boolean missingColumn,
            boolean imputed, double fill) {
        public Column {
            categories = categories == null ? null : List.copyOf(categories);
            other = List.copyOf(other);
            if (categories == null && (!other.isEmpty() || missingColumn)) {
                throw new IllegalArgumentException("a numeric column has no other or missing input");
            }
            if (categories == null && imputed != Double.isFinite(fill)) {
                throw new IllegalArgumentException("a numeric column is imputed exactly when it has a finite fill");
            }
        }

        /** A numeric column, imputed with {@code fill} (NaN: not imputed). */
        public static Column numeric(String name, double fill) {
            return new Column(name, null, List.of(), false, Double.isFinite(fill), fill);
        }

        public boolean categorical() {
            return categories != null;
        }

        /** The inputs it becomes. */
        public int width() {
            return categorical() ? categories.size() + (other.isEmpty() ? 0 : 1) + (missingColumn ? 1 : 0) : 1;
        }

        /** Every category it knows, with or without an input of its own: its inputs' then the rare ones. */
        public List<String> known() {
            List<String> all = new ArrayList<>(categories);
            all.addAll(other);
            return all;
        }
    }

    private final List<Column> columns;
    private final int width;

    public Encoding(List<Column> columns) {
        this.columns = List.copyOf(columns);
        int w = 0;
        for (Column c : this.columns) {
            w += c.width();
        }
        this.width = w;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The raw columns it reads. */
    public int rawColumns() {
        return columns.size();
    }

    /** The inputs it makes. */
    public int width() {
        return width;
    }

    /** Each input's name: a numeric column's, or {@code city=Paris}, {@code city=(other)}, {@code city=(missing)}. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            if (!c.categorical()) {
                names.add(c.name());
                continue;
            }
            c.categories().forEach(k -> names.add(c.name() + "=" + k));
            if (!c.other().isEmpty()) {
                names.add(c.name() + "=" + OTHER);
            }
            if (c.missingColumn()) {
                names.add(c.name() + "=" + MISSING);
            }
        }
        return names;
    }

    /** Whether input j is a one-hot indicator (standardisation leaves those as they are). */
    public boolean[] indicators() {
        boolean[] out = new boolean[width];
        int j = 0;
        for (Column c : columns) {
            for (int k = 0; k < c.width(); k++) {
                out[j++] = c.categorical();
            }
        }
        return out;
    }

    /**
     * The standardisation {@code s} of this encoding's inputs with the indicators' left as they are
     * (mean 0, sd 1): scikit-learn's ColumnTransformer scales the numeric columns and passes the
     * one-hot ones through.
     */
    public Standardization keepIndicators(Standardization s) {
        double[] mean = s.mean().clone(), std = s.std().clone();
        boolean[] indicator = indicators();
        for (int j = 0; j < width; j++) {
            if (indicator[j]) {
                mean[j] = 0;
                std[j] = 1;
            }
        }
        return new Standardization(mean, std);
    }

    // ---- fitting, on the training split ------------------------------------------------------------

    /**
     * The encoding of the raw columns {@code columns} fitted on the rows of {@code training}: each
     * column of categories' categories (those with fewer than {@code minCount} rows folded into
     * other), each numeric column's fill.
     *
     * @throws IllegalArgumentException naming a column with no value to impute from
     */
    public static Encoding fit(Features training, RawColumns columns, Impute impute, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("the least count of a category is at least 1, got " + minCount);
        }
        Matrix x = training.toMatrix();
        int n = x.rows(), k = x.cols();
        List<Column> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            String name = columns.names().get(f);
            if (!columns.categorical(f)) {
                out.add(Column.numeric(name, impute == Impute.NONE ? Double.NaN : fill(x, f, impute, name)));
                continue;
            }
            List<String> keys = columns.categories().get(f);
            long[] counts = new long[keys.size()];
            long missing = 0;
            for (int r = 0; r < n; r++) {
                double v = x.get(r, f);
                if (Double.isNaN(v)) {
                    missing++;
                } else if (v >= 0) {
                    counts[(int) v]++;
                }
            }
            List<String> frequent = new ArrayList<>(), rare = new ArrayList<>();
            for (int id = 0; id < keys.size(); id++) {
                if (counts[id] >= minCount) {
                    frequent.add(keys.get(id));
                } else if (counts[id] > 0) {
                    rare.add(keys.get(id));
                }
            }
            out.add(new Column(name, sorted(frequent), sorted(rare), impute != Impute.NONE && missing > 0,
                    impute != Impute.NONE, Double.NaN));
        }
        return new Encoding(out);
    }

    /** The mean or median of column f's values that are there. */
    private static double fill(Matrix x, int f, Impute impute, String name) {
        double[] values = new double[x.rows()];
        int m = 0;
        for (int r = 0; r < x.rows(); r++) {
            double v = x.get(r, f);
            if (!Double.isNaN(v)) {
                values[m++] = v;
            }
        }
        if (m == 0) {
            throw new IllegalArgumentException("column '" + Terminal.shown(name) + "' has no value in the training "
                    + "split to impute its missing cells from");
        }
        if (impute == Impute.MEAN) {
            double sum = 0;
            for (int i = 0; i < m; i++) {
                sum += values[i];
            }
            return sum / m;
        }
        double[] v = Arrays.copyOf(values, m);
        Arrays.sort(v);
        return m % 2 == 1 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
    }

    /** Categories in order: as numbers when every one is a whole number, else as strings. */
    static List<String> sorted(List<String> keys) {
        boolean numeric = !keys.isEmpty() && keys.stream().allMatch(s -> s.matches("-?\\d{1,18}"));
        List<String> out = new ArrayList<>(keys);
        out.sort(numeric ? (a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)) : String::compareTo);
        return out;
    }

    // ---- encoding ------------------------------------------------------------------------------------

    /**
     * The rows encoded, and how many cells held a category this encoding does not know (encoded as
     * all zeros) in how many rows.
     */
    public record Encoded(Features features, long unknownCells, int unknownRows) {}

    /**
     * Encodes raw features whose categories are indices into {@code columns}' lists (as
     * {@link CsvDataset} reads them): each category to its input, rare ones to other, missing
     * cells filled or to their input, unknown categories to all zeros (counted).
     */
    public Encoded encode(Features raw, RawColumns columns) {
        if (raw.cols() != columns.size() || columns.size() != this.columns.size()) {
            throw new IllegalArgumentException(raw.cols() + " raw columns but the encoding reads " + rawColumns());
        }
        int[][] slots = new int[columns.size()][];
        for (int f = 0; f < slots.length; f++) {
            if (this.columns.get(f).categorical() != columns.categorical(f)) {
                throw new IllegalArgumentException("column '" + Terminal.shown(columns.names().get(f)) + "' is "
                        + (columns.categorical(f) ? "categories" : "numbers") + " here but "
                        + (columns.categorical(f) ? "numbers" : "categories") + " in the encoding");
            }
            slots[f] = columns.categorical(f) ? slots(this.columns.get(f), columns.categories().get(f)) : null;
        }
        Matrix x = raw.toMatrix();
        int n = x.rows();
        Matrix out = new Matrix(n, width);
        long unknownCells = 0;
        int unknownRows = 0;
        for (int r = 0; r < n; r++) {
            int unknownHere = 0;
            int j = 0;
            for (int f = 0; f < slots.length; f++) {
                Column c = this.columns.get(f);
                double v = x.get(r, f);
                if (!c.categorical()) {
                    out.set(r, j, Double.isNaN(v) ? c.fill() : v);
                } else if (Double.isNaN(v)) {
                    if (c.missingColumn()) {
                        out.set(r, j + c.width() - 1, 1.0);
                    }
                } else {
                    int slot = v >= 0 ? slots[f][(int) v] : -1;
                    if (slot >= 0) {
                        out.set(r, j + slot, 1.0);
                    } else {
                        unknownHere++;
                    }
                }
                j += c.width();
            }
            unknownCells += unknownHere;
            unknownRows += unknownHere > 0 ? 1 : 0;
        }
        return new Encoded(Features.of(out), unknownCells, unknownRows);
    }

    /** For each of a file's categories, its input within the column (−1 for a category the column does not know). */
    private static int[] slots(Column c, List<String> fileCategories) {
        Map<String, Integer> slot = new HashMap<>();
        for (int i = 0; i < c.categories().size(); i++) {
            slot.put(c.categories().get(i), i);
        }
        for (String rare : c.other()) {
            slot.put(rare, c.categories().size());
        }
        int[] out = new int[fileCategories.size()];
        for (int id = 0; id < out.length; id++) {
            out[id] = slot.getOrDefault(fileCategories.get(id), -1);
        }
        return out;
    }

    /**
     * Rows of raw cells, one string per raw column in order (a missing cell empty, {@code NA} or
     * {@code ?}), encoded: for a Java program that has rows of text rather than a file.
     *
     * @param ignoreUnknown encode an unknown category as all zeros rather than refuse it
     * @throws IllegalArgumentException naming the row and column of a cell that is not a number, a
     *                                  missing cell this encoding does not fill, or an unknown category
     */
    public Matrix encodeRows(List<String[]> rows, boolean ignoreUnknown) {
        Matrix out = new Matrix(rows.size(), width);
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = rows.get(r);
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException("row " + (r + 1) + " has " + cells.length + " cells but the model "
                        + "reads " + columns.size() + " columns: " + names());
            }
            int j = 0;
            for (int f = 0; f < cells.length; f++) {
                Column c = columns.get(f);
                String cell = cells[f] == null ? "" : CsvTable.trim(cells[f]);
                String at = "row " + (r + 1) + ", column '" + Terminal.shown(c.name()) + "'";
                if (CsvDataset.MISSING.contains(cell)) {
                    if (!c.imputed()) {
                        throw new IllegalArgumentException(at + ": a missing value, and the model was trained without "
                                + "--impute");
                    }
                    if (c.categorical() && c.missingColumn()) {
                        out.set(r, j + c.width() - 1, 1.0);
                    } else if (!c.categorical()) {
                        out.set(r, j, c.fill());
                    }
                } else if (!c.categorical()) {
                    double v = DecimalCell.parse(cell);
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException(at + ": '" + Terminal.shown(cell) + "' is not a number");
                    }
                    out.set(r, j, v);
                } else {
                    int slot = c.categories().indexOf(cell);
                    if (slot < 0 && c.other().contains(cell)) {
                        slot = c.categories().size();
                    }
                    if (slot >= 0) {
                        out.set(r, j + slot, 1.0);
                    } else if (!ignoreUnknown) {
                        throw new IllegalArgumentException(at + ": " + unknown(c, cell));
                    }
                }
                j += c.width();
            }
        }
        return out;
    }

    /** The raw columns' names, for messages. */
    String names() {
        return Terminal.list(columns.stream().map(Column::name).toList());
    }

    /** {@code 'Paris' is not one of the 41 categories of 'city' the model was trained on}. */
    static String unknown(Column c, String cell) {
        int known = c.known().size();
        return "'" + Terminal.shown(cell) + "' is not one of the " + known + " categor" + (known == 1 ? "y" : "ies")
                + " of '" + Terminal.shown(c.name()) + "' the model was trained on";
    }

    // ---- in words ----------------------------------------------------------------------------------

    /**
     * One line per column that is not a plain number, for a run's header: {@code sex: 2 categories
     * -> 2 columns}, {@code city: 41 categories, 12 rarer than 5 rows as other -> 30 columns},
     * {@code age: missing cells filled with the median, 38}. Names escaped.
     */
    public List<String> describe(int minCount, Impute impute) {
        List<String> lines = new ArrayList<>();
        for (Column c : columns) {
            String name = Terminal.shown(c.name());
            if (c.categorical()) {
                int all = c.known().size();
                StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %d categor%s", name, all,
                        all == 1 ? "y" : "ies"));
                if (!c.other().isEmpty()) {
                    s.append(String.format(Locale.ROOT, ", %d rarer than %d rows as %s", c.other().size(), minCount,
                            OTHER));
                }
                if (c.missingColumn()) {
                    s.append(", missing cells as " + MISSING);
                }
                lines.add(s.append(String.format(Locale.ROOT, " -> %d column%s", c.width(), c.width() == 1 ? "" : "s"))
                        .toString());
            } else if (c.imputed()) {
                lines.add(String.format(Locale.ROOT, "%s: missing cells filled with the %s, %.6g", name, impute,
                        c.fill()));
            }
        }
        return lines;
    }

    /** The count of each category of a column of {@code raw} (ids into {@code columns}), by name, sorted by name. */
    static Map<String, Long> counts(Matrix raw, int f, List<String> keys) {
        Map<String, Long> m = new TreeMap<>();
        for (int r = 0; r < raw.rows(); r++) {
            double v = raw.get(r, f);
            if (v >= 0) {
                m.merge(keys.get((int) v), 1L, Long::sum);
            }
        }
        return m;
    }
}
