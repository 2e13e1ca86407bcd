package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.TrainCommandTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent gradcheck} and {@code descent doctor} end to end, in-process. */
class CheckCommandsTest {
    @TempDir
    Path dir;

    private static String words(String s) {
        return s.replaceAll("\\s+", " ");
    }

    @Test
    void gradcheckPassesOnTheSeedNetwork() {
        Result r = run("gradcheck");
        assertEquals(0, r.code(), r.err());
        assertTrue(words(r.out()).contains("W1 5x20 100/100 0"), r.out());
        assertTrue(r.out().contains("PASS: backprop and central differences agree on every tensor"), r.out());
        assertTrue(r.out().contains("  checking   backprop as train runs it: the fused step, in float64\n"), r.out());
    }

    @Test
    void gradcheckChecksFloat32TrainingInFloat64AndRefusesAnUnknownType() {
        Result r = run("gradcheck", "--dtype", "float32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  checking   backprop as train runs it: the fused step, in float64\n"), r.out());
        Result bad = run("gradcheck", "--dtype", "float16");
        assertEquals(2, bad.code());
        assertEquals("descent gradcheck: --dtype: 'float16' is not float64 or float32", bad.err().strip());
    }

    @Test
    void gradcheckChecksASubsetAndSaysSo() {
        Result r = run("gradcheck", "--layers", "16,8", "--activation", "sigmoid", "--init", "xavier",
                "--max-per-tensor", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(words(r.out()).contains("W1 5x16 5/80 0"), r.out());
        assertTrue(words(r.out()).contains("b1 1x16 5/16 0"), r.out());
    }

    @Test
    void gradcheckReadsASavedModelWithItsData() throws Exception {
        Path csv = dir.resolve("d.csv"), model = dir.resolve("m.json");
        Files.writeString(csv, "x1,x2,animal\n1,1,cat\n0.5,-1,dog\n2,0.25,bird\n");
        Files.copy(Path.of("src/test/resources/golden-v1.json"), model);
        Result r = run("gradcheck", "--data", csv.toString(), "--model", model.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("init       model file " + model), r.out());
    }

    @Test
    void gradcheckRefusesBadTolerances() {
        Result r = run("gradcheck", "--rtol", "-1");
        assertEquals(2, r.code());
        assertEquals("descent gradcheck: --rtol: '-1' must be a positive number", r.err().strip());
    }

    @Test
    void doctorCallsTheDefaultRunHealthy() {
        Result r = run("doctor");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("healthy: the loss fell from 29.2552 to 3.14266 over 100 epochs"), r.out());
        assertTrue(r.out().contains("rows 2, 9: the same input [1, 0, 0, 0, 1] with labels 1, 8"), r.out());
        assertTrue(r.out().strip().endsWith("verdict: healthy"), r.out());
    }

    @Test
    void doctorFindsAStepTooLargeAndPrintsTheCommandToUse() {
        Result r = run("doctor", "--seed", "1", "--lr", "50");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("problem: the loss rose across a step of descent (epoch 1: 29.2552 -> "), r.out());
        // the first halving whose run ends clearly better, and one more for a margin: 50/2^9
        assertTrue(r.out().contains("-> use a learning rate of 0.09765625"), r.out());
        assertTrue(r.out().contains("try:     descent train --seed 1 --lr 0.09765625"), r.out());
        assertTrue(r.out().contains("           verified: this command's own run, probed for 100 epochs on 10 training "
                + "rows from the same start"), r.out());
    }
}
