package dev.descent.cli;

import dev.descent.io.PathRules;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * {@code -} in place of a path: standard input for data ({@code --data -}), standard output for
 * results ({@code predict --out -}); which paths mean that is {@link PathRules}' rule.
 */
final class StandardStreams {
    private StandardStreams() {}

    /** How standard input is named in messages and descriptions. */
    static final String STDIN = "standard input";

    /** Whether {@code path} is {@code -}: the rule is {@link PathRules#isStandardStream}'s. */
    static boolean isDash(Path path) {
        return PathRules.isStandardStream(path);
    }

    /** Standard input, read when asked (tests replace it). */
    static InputStream in() {
        return System.in;
    }
}
