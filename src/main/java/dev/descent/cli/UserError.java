package dev.descent.cli;

/**
 * A mistake in what the user asked for (a flag value, a file): printed as one line, exit code 2,
 * never a stack trace.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    /** {@code --lr: '-1' must be a positive number}. */
    public static UserError badValue(String flag, Object value, String expected) {
        return new UserError(flag + ": '" + value + "' " + expected);
    }
}
