package dev.descent.data;

/** A data file that cannot be read; the message names the file and, where it can, line and column. */
public class DataFormatException extends Exception {
    public DataFormatException(String message) {
        super(message);
    }
}
