package dev.descent.modelfile;

/** A model file that cannot be read: the message names the file and what is wrong where. */
public class ModelFileException extends Exception {
    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
