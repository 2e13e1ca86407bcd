package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** descent summary: the layer table, the classes and the provenance of a saved model; the same table in a run's header. */
class SummaryCommandTest {
    @TempDir
    Path dir;

    static final String TABLE = """
              layer    output  parameters         count
              input         5
              1 dense      20  W1 5x20, b1 1x20     120
              2 relu       20
              3 dense      10  W2 20x10, b2 1x10    210
              softmax      10
              total                                 330
            """;

    @Test
    void summaryShowsLayersParametersAndHowTheModelWasTrained() {
        Path model = dir.resolve("seed.json");
        Result train = run("train", "--save", model.toString(), "--no-plot");
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains(TABLE.indent(11)), train.out());

        Result r = run("summary", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(TABLE), r.out());
        assertTrue(r.out().contains("  classes    0, 1, 2, 3, 4, 5, 6, 7, 8, 9\n"), r.out());
        assertTrue(r.out().contains("  optimizer        sgd\n"), r.out());
        assertTrue(r.out().contains("  epochs           100\n"), r.out());
    }

    @Test
    void aFileThatIsNotAModelIsOneLineAndExitCodeTwo() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "[1, 2]");
        Result r = run("summary", "--model", bad.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("descent summary: --model: " + bad), r.err());
    }
}
