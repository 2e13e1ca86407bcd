package dev.descent.weights;

/** A weights file that cannot be read or does not fit the network: the message names the file and the tensor. */
public class WeightsFileException extends Exception {
    public WeightsFileException(String message) {
        super(message);
    }

    public WeightsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
