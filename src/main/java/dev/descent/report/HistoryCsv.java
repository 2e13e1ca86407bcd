package dev.descent.report;

import dev.descent.io.AtomicFiles;
import dev.descent.train.History;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The training history as CSV: a header {@code epoch,loss,accuracy}, then one row per epoch from
 * 0 (the starting parameters). Numbers are written in full precision so a run can be compared
 * exactly with another.
 */
public final class HistoryCsv {
    private HistoryCsv() {}

    public static final String HEADER = "epoch,loss,accuracy";

    public static void write(History history, Path path) throws IOException {
        AtomicFiles.write(path, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(HEADER + "\n");
            for (History.Row row : history.rows()) {
                w.write(row.epoch() + "," + row.loss() + "," + row.accuracy() + "\n");
            }
            w.flush();
        });
    }
}
