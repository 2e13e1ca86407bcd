package dev.descent.data;

import java.util.List;

/**
 * The feature columns of a CSV file as read, before any encoding: each column's name, and for a
 * column of categories the distinct cells the file held, in the order first seen. A raw feature
 * matrix holds, for such a column, the index of each row's cell in that list (NaN for a missing
 * cell, −1 for a category a model did not know that was let through); for a numeric column, the
 * number (NaN for a missing cell that is to be imputed). {@link Encoding} turns them into the
 * network's inputs.
 *
 * @param names      each feature column's name: the header's, or {@code column 3} without one
 * @param categories for each feature column, its categories in the order first seen, or null for a numeric column
 * @param unknown    cells of categories a given encoding did not know, let through as all zeros
 */
public record RawColumns(List<String> names, List<List<String>> categories, long unknown) {
    public RawColumns {
        names = List.copyOf(names);
        categories = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(categories));
        if (names.size() != categories.size()) {
            throw new IllegalArgumentException(names.size() + " names but " + categories.size() + " columns");
        }
    }

    public int size() {
        return names.size();
    }

    /** Whether column f holds categories. */
    public boolean categorical(int f) {
        return categories.get(f) != null;
    }

    /** Whether any column holds categories. */
    public boolean anyCategorical() {
        return categories.stream().anyMatch(c -> c != null);
    }
}
