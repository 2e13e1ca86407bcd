package dev.descent.cli;

import dev.descent.modelfile.Overflow;
import dev.descent.tensor.Matrix;

/** Refuses to report predictions that overflowed (NaN or infinite outputs) as if they were results. */
final class Overflows {
    private Overflows() {}

    /** Checks the first {@code rows} rows of a batch of outputs that starts at row {@code from} (0-based) of the data. */
    static void refuse(Matrix outputs, int rows, int from) {
        int bad = Overflow.check(outputs, rows);
        if (bad >= 0) {
            throw new UserError("--data: row " + (from + bad + 1) + ": the model's outputs overflow (they are not "
                    + "finite numbers) for this input; its features are far outside what the model can take");
        }
    }
}
