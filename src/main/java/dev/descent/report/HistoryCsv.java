package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.train.History;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The training history as CSV: a header {@code epoch,loss,accuracy} (and
 * {@code validation_loss,validation_accuracy} when there is a validation set), then one row per
 * epoch from 0 (the starting parameters). Numbers are written in full precision so a run can be compared
 * exactly with another.
 */
public final class HistoryCsv {
    private HistoryCsv() {}

    public static final String HEADER = "epoch,loss,accuracy";
    public static final String HEADER_WITH_VALIDATION = "epoch,loss,accuracy,validation_loss,validation_accuracy";

    public static void write(History history, Path path) throws IOException {
        AtomicFiles.write(path, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            boolean validation = history.first().hasValidation();
            w.write(header(validation));
            for (History.Row row : history.rows()) {
                w.write(line(row, validation));
            }
            w.flush();
        });
    }

    /** The header line, with its line break. */
    public static String header(boolean validation) {
        return (validation ? HEADER_WITH_VALIDATION : HEADER) + "\n";
    }

    /** One epoch's line, with its line break. */
    public static String line(History.Row row, boolean validation) {
        return row.epoch() + "," + row.loss() + "," + row.accuracy()
                + (validation ? "," + row.validationLoss() + "," + row.validationAccuracy() + "\n" : "\n");
    }
}
