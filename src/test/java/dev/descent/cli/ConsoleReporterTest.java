package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.train.History;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ConsoleReporterTest {
    @Test
    void aRunResumedPartWayThroughAnEpochShowsItsProgressBar() {
        StringWriter out = new StringWriter();
        java.io.PrintStream err = System.err; // the bar draws on standard error; tests don't print
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        ConsoleReporter reporter = new ConsoleReporter(new PrintWriter(out), true, true).samples(100);
        History.Row initial = new History.Row(0, 2.0, 0.5, Double.NaN, Double.NaN, 0);
        reporter.onStart(null, 5, initial);
        // Resumed after batch 3 of epoch 2: the first batch this reporter sees is the 4th.
        assertDoesNotThrow(() -> {
            for (int batch = 4; batch <= 10; batch++) {
                reporter.onBatch(2, batch, 10, batch * 10, 1.5);
            }
            History.Row row = new History.Row(2, 1.5, 0.6, Double.NaN, Double.NaN, 0.1);
            reporter.onEpoch(row);
        });
        System.setErr(err);
        assertTrue(out.toString().contains("      2        1.500000"), out.toString());
    }
}
