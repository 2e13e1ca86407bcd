package dev.descent.cli;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * {@code -} in place of a path: standard input for data ({@code --data -}), standard output for
 * results ({@code predict --out -}). The one place the commands ask, so that it can become part
 * of a central rule for paths.
 */
final class StandardStreams {
    private StandardStreams() {}

    /** How standard input is named in messages and descriptions. */
    static final String STDIN = "standard input";

    static boolean isDash(Path path) {
        return path != null && path.toString().equals("-");
    }

    /** Standard input, read when asked (tests replace it). */
    static InputStream in() {
        return System.in;
    }
}
