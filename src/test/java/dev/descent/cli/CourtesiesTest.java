package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.train.History;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A mistyped flag gets a suggestion; the progress line fits the terminal, and a narrow one gets lines. */
class CourtesiesTest {
    @Test
    void anUnknownOptionGetsTheOneItProbablyMeant() {
        Result r = run("train", "--learning-rate", "0.1");
        assertEquals(2, r.code());
        assertEquals("descent train: Unknown options: '--learning-rate', '0.1'; did you mean --lr? "
                + "(see 'descent train --help')",
                r.err().strip());
        assertTrue(run("train", "--epoch", "3").err().contains("did you mean --epochs?"), "a letter missing");
        assertTrue(run("train", "--batch-size", "3").err().contains("did you mean --batch?"), "another tool's name");
        assertTrue(run("train", "--sede", "3").err().contains("did you mean --seed?"), "two letters swapped");
        assertFalse(run("train", "--zzzzzzzz").err().contains("did you mean"), "nothing close: no guess");
        assertTrue(run("train", "--standardise").err().contains("did you mean --standardize"), "British spelling");
    }

    /** At 80 columns every part fits with a bar of at least the minimum; narrower, the least useful parts go. */
    @Test
    void theProgressLineFitsItsWidthAndKeepsItsBar() {
        String extra = "loss 0.4321\t12,345 samples/s";
        for (int width : new int[] {80, 100, 120, 200}) {
            String line = ProgressLine.line("epoch 12", 197, 469, Duration.ofSeconds(3), extra, width);
            assertTrue(line.length() <= width, width + ": " + line);
            assertTrue(line.matches(".*\\[=+>? *\\].*"), line);
            assertTrue(line.contains("[") && line.indexOf(']') - line.indexOf('[') + 1 >= ProgressLine.MIN_BAR, line);
            assertTrue(line.contains("loss 0.4321"), line);
        }
        String wide = ProgressLine.line("epoch 12", 197, 469, Duration.ofSeconds(3), extra, 120);
        assertTrue(wide.contains("197/469") && wide.contains("left") && wide.contains("samples/s"), wide);
        assertEquals("epoch 12  42% [=====>       ] loss 0.4321",
                ProgressLine.line("epoch 12", 197, 469, Duration.ofSeconds(3), extra, 41));
        assertEquals("[==========]", ProgressLine.bar(1, 12));
    }

    @Test
    void aNarrowTerminalGetsALinePerEpochAndNoBar() {
        StringWriter out = new StringWriter();
        ConsoleReporter narrow = new ConsoleReporter(new PrintWriter(out), true, true, 60).samples(100);
        narrow.onStart(null, 100, new History.Row(0, 2.0, 0.5, Double.NaN, Double.NaN, 0));
        for (int epoch = 1; epoch <= 100; epoch++) {
            narrow.onBatch(epoch, 1, 1, 100, 1.0); // no bar to draw: nothing on standard error
            narrow.onEpoch(new History.Row(epoch, 1.0, 0.6, Double.NaN, Double.NaN, 0.01));
        }
        assertEquals(102, out.toString().lines().count(), "a header, epoch 0, and every epoch");
    }

    @Test
    void aRegressionRunHasNoAccuracyColumn() {
        StringWriter out = new StringWriter();
        ConsoleReporter r = new ConsoleReporter(new PrintWriter(out), false, false);
        r.onStart(null, 2, new History.Row(0, 2.0, Double.NaN, Double.NaN, Double.NaN, 0));
        assertFalse(out.toString().contains("accuracy"), out.toString());
        assertFalse(out.toString().contains(" -"), out.toString());
    }
}
