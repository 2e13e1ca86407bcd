package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.descent.cli.TrainCommandTest.Result;
import org.junit.jupiter.api.Test;

/** The launcher records its ahead-of-time cache from {@code descent warm-up}: every run in it must succeed. */
class WarmUpCommandTest {
    @Test
    void everyRunOfTheWorkloadSucceedsAndPrintsNothing() {
        Result r = run("warm-up");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals("", r.err());
    }

    @Test
    void itIsNotListedInTheHelp() {
        assertFalse(run("--help").out().contains("warm-up"));
    }
}
