package dev.descent.cli;

import dev.descent.io.PathRules;
import dev.descent.modelfile.Model;
import dev.descent.modelfile.ModelFile;
import dev.descent.modelfile.ModelFileException;
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

    /**
     * Checks, before training, that the model a run will save with {@code flag} can be read back:
     * its class or target names and its provenance within the model file's limits
     * ({@link ModelFile#checkNames}), which the reader enforces. Nothing to check without the flag.
     */
    static void savable(String flag, Path save, Setup setup) {
        if (save == null) {
            return;
        }
        Model model = new Model(setup.network(), setup.start().classNames(), setup.start().standardization(),
                setup.provenance("0".repeat(64)), setup.start().output(), setup.start().targetStandardization(), setup.start().encoding());
        try {
            ModelFile.checkNames(model);
        } catch (ModelFileException e) {
            throw new UserError(flag + ": " + e.getMessage());
        }
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
