package dev.descent.cli;

import dev.descent.data.Dataset;
import dev.descent.data.Encoding;
import dev.descent.data.RawColumns;
import dev.descent.io.Terminal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How a CSV file's columns become the network's inputs: which hold categories (a column of words
 * does by itself), how rare categories and missing cells are treated, and what a category unseen
 * in training does. Fitted on the training split ({@link #fit}) and kept in the model, which
 * {@code evaluate} and {@code predict} then read by.
 */
public final class ColumnOptions {
    @Option(names = "--categorical", paramLabel = "COLUMNS", split = ",",
            description = "Columns whose cells are categories though they look like numbers (integer codes), by "
                    + "header name or number from 1, separated by commas. A column of words is categorical "
                    + "without it. Each is one-hot encoded with the training split's categories.")
    List<String> categorical = List.of();

    @Option(names = "--min-category-count", paramLabel = "N",
            description = "Categories with fewer than N rows in the training split share one 'other' column "
                    + "(default: 1, every category its own column).")
    Integer minCategoryCount;

    @Option(names = "--impute", paramLabel = "mean|median",
            description = "Fill a numeric column's missing cells (empty, NA or ?) with the training split's mean or "
                    + "median, kept in the model; a categorical column's missing cells become a category of their "
                    + "own. Without it, a missing cell stops the run, or its row is left out with --drop-missing.")
    String impute;

    @Option(names = "--unknown-category", paramLabel = "error|ignore",
            description = "A category the model was not trained on, in --test, evaluate or predict: error (one line "
                    + "naming the cell, nothing written) or ignore (its columns all zeros, counted) (default: error). "
                    + "In the held-out part of the training file itself it is always all zeros, counted.")
    String unknownCategory;

    /** Checks the flags' values, before any file is read. */
    void check() {
        for (String c : categorical) {
            if (c.isBlank()) {
                throw UserError.badValue("--categorical", String.join(",", categorical), "names an empty column");
            }
        }
        if (minCategoryCount != null) {
            Parse.atLeastOne("--min-category-count", minCategoryCount);
        }
        imputation();
        ignoreUnknown();
    }

    Encoding.Impute imputation() {
        if (impute == null) {
            return Encoding.Impute.NONE;
        }
        String i = impute.trim().toLowerCase(Locale.ROOT);
        if (!i.equals("mean") && !i.equals("median")) {
            throw UserError.badValue("--impute", impute, "is not mean or median");
        }
        return Encoding.Impute.of(i);
    }

    int minCount() {
        return minCategoryCount == null ? 1 : minCategoryCount;
    }

    boolean ignoreUnknown() {
        if (unknownCategory == null) {
            return false;
        }
        String u = unknownCategory.trim().toLowerCase(Locale.ROOT);
        if (!u.equals("error") && !u.equals("ignore")) {
            throw UserError.badValue("--unknown-category", unknownCategory, "is not error or ignore");
        }
        return u.equals("ignore");
    }

    /** Refuses the flags a model file fixes, for a command that reads data by a model ({@code evaluate}, {@code predict}). */
    void refuseForModel() {
        for (String flag : List.of("--categorical", "--min-category-count", "--impute")) {
            boolean given = switch (flag) {
                case "--categorical" -> !categorical.isEmpty();
                case "--min-category-count" -> minCategoryCount != null;
                default -> impute != null;
            };
            if (given) {
                throw new UserError(flag + ": the model fixes how its columns are read; leave it out");
            }
        }
        ignoreUnknown();
    }

    /**
     * The encoding of {@code columns} fitted on the training rows {@code training}: their
     * categories, rare ones as other, the fill of each numeric column.
     */
    Encoding fit(Dataset training, RawColumns columns) {
        try {
            return Encoding.fit(training.features(), columns, imputation(), minCount());
        } catch (IllegalArgumentException e) {
            throw new UserError("--impute: " + e.getMessage());
        }
    }

    /**
     * A hint for each column of categories that has one for nearly every training row: it names
     * rows (a name, an id, a ticket number) rather than describing them.
     */
    static List<String> idLikeHints(Encoding encoding, int rows) {
        List<String> hints = new ArrayList<>();
        for (Encoding.Column c : encoding.columns()) {
            int k = c.categorical() ? c.known().size() : 0;
            if (k > 20 && k > 0.5 * rows) {
                hints.add(String.format(Locale.ROOT, "'%s' has %d categories in %d rows: it names rows rather than "
                        + "describing them, and its columns can only be memorised; leave it out with --ignore %s",
                        Terminal.shown(c.name()), k, rows, Terminal.shown(c.name())));
            }
        }
        return hints;
    }
}
