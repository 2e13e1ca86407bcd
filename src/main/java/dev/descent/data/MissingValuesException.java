package dev.descent.data;

/**
 * A CSV file with missing values (empty cells, {@code NA} or {@code ?}), counted over the whole
 * file: {@code d.csv: 37 missing values in 12 rows, first at d.csv:5:3}. Reading again with
 * {@link CsvDataset.Options#dropMissing()} leaves those rows out.
 */
public class MissingValuesException extends DataFormatException {
    private final long values;
    private final int rows;

    public MissingValuesException(String message, long values, int rows) {
        super(message);
        this.values = values;
        this.rows = rows;
    }

    /** How many cells are missing. */
    public long values() {
        return values;
    }

    /** How many rows have at least one missing cell. */
    public int rows() {
        return rows;
    }
}
