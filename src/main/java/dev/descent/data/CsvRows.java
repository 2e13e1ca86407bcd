package dev.descent.data;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The records of a CSV text, one at a time, read by FastCSV (RFC 4180: quoted cells may hold the
 * delimiter, quotes and line breaks): UTF-8, a byte-order mark skipped, blank lines skipped, the
 * delimiter given or detected from the first line. Every problem is a {@link DataFormatException}
 * that starts with the source's name.
 */
final class CsvRows implements Closeable {
    /** The delimiters that are detected: the one used most in the first line wins, ties in this order. */
    static final String DETECTED = ",;\t";

    /** How much of the text is looked at to find the delimiter: the first line, up to this many characters. */
    private static final int LOOK_AHEAD = 1 << 16;

    /**
     * Columns a row may have: FastCSV's default, 16,384, would refuse wide data with its own words
     * before Descent can say what is wrong with it (a first layer past the parameter bound). Ten
     * million columns is what the bound of 10^8 parameters allows a first layer of 10 units.
     */
    static final int MAX_FIELDS = 10_000_000;

    /**
     * Characters a cell may have: FastCSV's own bound (for its buffer and for a field), set here
     * so that Descent's message can give it. A line of 50 MB in one cell is refused with this figure,
     * not read into memory whole.
     */
    static final int MAX_CELL = 16 * 1024 * 1024;

    /** Characters a row may have, its cells together. */
    static final int MAX_ROW = 4 * MAX_CELL;

    /** Where FastCSV says a record that it could not read starts: "... started in line 3". */
    private static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile("line (\\d+)");

    private final String name;
    private final char delimiter;
    private final boolean detected;
    private final CsvReader<CsvRecord> reader;
    private final CloseableIterator<CsvRecord> records;

    private CsvRows(String name, char delimiter, boolean detected, Reader text) {
        this.name = name;
        this.delimiter = delimiter;
        this.detected = detected;
        this.reader = CsvReader.builder().fieldSeparator(delimiter).quoteCharacter('"').skipEmptyLines(true)
                .allowExtraFields(true).allowMissingFields(true).maxBufferSize(MAX_CELL)
                .build(CsvRecordHandler.builder().maxFields(MAX_FIELDS).maxFieldSize(MAX_CELL).maxRecordSize(MAX_ROW)
                        .build(), text);
        this.records = reader.iterator();
    }

    /**
     * @param name      the source, for messages: a path, or "standard input"
     * @param in        the bytes, closed with this
     * @param delimiter the delimiter, or null to detect it
     */
    static CsvRows open(String name, InputStream in, Character delimiter) throws DataFormatException {
        PushbackReader text = new PushbackReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()),
                LOOK_AHEAD);
        try {
            char[] head = new char[LOOK_AHEAD];
            int n = 0;
            for (int r; n < head.length && (r = text.read(head, n, head.length - n)) > 0; ) {
                n += r;
            }
            int start = n > 0 && head[0] == '\uFEFF' ? 1 : 0;
            text.unread(head, start, n - start);
            char d = delimiter != null ? delimiter : detect(head, start, n);
            return new CsvRows(name, d, delimiter == null, text);
        } catch (IOException e) {
            closeQuietly(text);
            throw failure(name, e);
        }
    }

    /** The next record that is not a blank line, with its line number; null at the end. */
    Row next() throws DataFormatException {
        try {
            while (records.hasNext()) {
                CsvRecord r = records.next();
                if (r.getFieldCount() == 1 && r.getField(0).isBlank()) {
                    continue;
                }
                return new Row(r, r.getStartingLineNumber());
            }
            return null;
        } catch (UncheckedIOException e) {
            throw failure(name, e.getCause());
        } catch (CsvParseException e) {
            throw parseFailure(e);
        }
    }

    /**
     * FastCSV's refusal in Descent's words: {@code file:line:} where FastCSV says the line, and the
     * bound that was passed, as a figure.
     */
    private DataFormatException parseFailure(CsvParseException e) {
        String detail = String.valueOf((e.getCause() != null ? e.getCause() : e).getMessage());
        java.util.regex.Matcher line = LINE.matcher(String.valueOf(e.getMessage()) + " " + detail);
        String at = line.find() ? name + ":" + line.group(1) : name + (String.valueOf(e.getMessage()).contains("first record")
                ? ": the first row" : "");
        String what;
        if (detail.contains("buffer size") || detail.contains("max field size")) {
            what = String.format(java.util.Locale.ROOT, "a cell longer than %,d characters, more than Descent reads (a "
                    + "quote that is never closed makes the rest of the file one cell)", MAX_CELL);
        } else if (detail.contains("max record size")) {
            what = String.format(java.util.Locale.ROOT, "a row longer than %,d characters, more than Descent reads",
                    MAX_ROW);
        } else if (detail.contains("fields")) {
            what = String.format(java.util.Locale.ROOT, "more than %,d columns, more than Descent reads", MAX_FIELDS);
        } else {
            what = detail;
        }
        return new DataFormatException(at + ": " + what);
    }

    /** One record. */
    record Row(CsvRecord record, long line) {
        int size() {
            return record.getFieldCount();
        }

        String cell(int column) {
            return record.getField(column);
        }
    }

    char delimiter() {
        return delimiter;
    }

    boolean detected() {
        return detected;
    }

    /** The delimiter in words: {@code comma}, {@code semicolon}, {@code tab}, or {@code '|'}. */
    static String describe(char d) {
        return switch (d) {
            case ',' -> "comma";
            case ';' -> "semicolon";
            case '\t' -> "tab";
            default -> "'" + d + "'";
        };
    }

    /** The delimiter used most often, outside quotes, in the first non-blank line of {@code head}. */
    static char detect(char[] head, int from, int to) {
        int[] counts = new int[DETECTED.length()];
        boolean quoted = false, seen = false;
        for (int i = from; i < to; i++) {
            char c = head[i];
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                if (seen) {
                    break;
                }
            } else if (!quoted) {
                int k = DETECTED.indexOf(c);
                if (k >= 0) {
                    counts[k]++;
                }
                seen |= !Character.isWhitespace(c) || k >= 0;
            }
        }
        int best = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return DETECTED.charAt(best);
    }

    static DataFormatException failure(String name, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new DataFormatException(name + ": not UTF-8 text");
        }
        return new DataFormatException(name + ": cannot read (" + e.getMessage() + ")");
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already failing; the first error is the one to report
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
