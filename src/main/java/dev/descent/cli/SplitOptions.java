package dev.descent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Held-out data, validation, early stopping and feature standardisation, for training runs. */
public final class SplitOptions {
    @Option(names = "--test", paramLabel = "FILE|DIR",
            description = "A held-out test set, evaluated once after training: a CSV file, or an IDX directory's t10k "
                    + "files (default: the t10k files when --data is an IDX directory).")
    Path test;

    @Option(names = "--validation-split", paramLabel = "F",
            description = "Hold out this fraction of the training data (seeded) and evaluate it every epoch.")
    Double validationSplit;

    @Option(names = "--patience", paramLabel = "N",
            description = "Stop when the validation loss has not improved for N epochs, and keep the parameters of "
                    + "the best epoch (needs --validation-split).")
    Integer patience;

    @Option(names = "--standardize",
            description = "Standardise each feature to mean 0 and standard deviation 1, with statistics from the "
                    + "training split only; they are stored in the model and applied when it predicts.")
    boolean standardize;

    @Option(names = "--standardize-targets",
            description = "For --task regression: train on targets standardised to mean 0 and standard deviation 1 "
                    + "(training-split statistics, stored in the model and undone when it predicts).")
    boolean standardizeTargets;

    /** Whether an IDX directory's t10k files are loaded as the test set when --test is absent. */
    boolean useDefaultTest = true;

    void check() {
        if (validationSplit != null && !(validationSplit > 0 && validationSplit < 1)) {
            throw UserError.badValue("--validation-split", validationSplit, "must be a fraction between 0 and 1");
        }
        if (patience != null) {
            Parse.atLeastOne("--patience", patience);
            if (validationSplit == null) {
                throw new UserError("--patience: early stopping watches the validation loss; add --validation-split");
            }
        }
    }
}
