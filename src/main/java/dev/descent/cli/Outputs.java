package dev.descent.cli;

import dev.descent.io.PathRules;
import java.nio.file.Path;

/**
 * Checks the files a command reads and writes before any work is done, by the rules of
 * {@link PathRules}, so a long run is never lost to a typo in a path at the end and never
 * overwrites its own input.
 */
final class Outputs {
    private Outputs() {}

    /** Checks one output on its own: a file that can be written (see {@link PathRules#target}). */
    static Path check(String flag, Path path) {
        try {
            PathRules.target(flag, path);
        } catch (PathRules.PathException e) {
            throw new UserError(e.getMessage());
        }
        return path;
    }

    /** Checks every output and that no output is an input or another output. */
    static void distinct(PathRules paths) {
        try {
            paths.check();
        } catch (PathRules.PathException e) {
            throw new UserError(e.getMessage());
        }
    }
}
