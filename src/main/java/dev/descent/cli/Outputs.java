package dev.descent.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that an output file can be written before any work is done, so a long run is never lost
 * to a typo in a path at the end.
 */
final class Outputs {
    private Outputs() {}

    static Path check(String flag, Path path) {
        if (Files.isDirectory(path)) {
            throw new UserError(flag + ": " + path + " is a directory; give a file name");
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError(flag + ": the directory of " + path + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError(flag + ": cannot write to the directory of " + path);
        }
        return path;
    }
}
