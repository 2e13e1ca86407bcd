package dev.descent.tensor;

/** Two matrices whose shapes do not fit together; the message names both shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
