package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.modelfile.ModelFile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optimizer's constants, weight decay and the learning-rate schedule on the command line. */
class OptimizerOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theConstantsAndScheduleAreShownAndKeptInTheModel() throws Exception {
        Path model = dir.resolve("m.json");
        var r = TrainCommandTest.run("train", "--optimizer", "adam", "--lr", "0.01", "--beta1", "0.8", "--beta2", "0.99",
                "--eps", "1e-7", "--weight-decay", "0.001", "--lr-schedule", "cosine", "--warmup-epochs", "5",
                "--no-plot", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("adam, lr 0.01, betas 0.8 0.99, eps 1.0E-7, weight decay 0.001 (decoupled, AdamW)"),
                r.out());
        assertTrue(r.out().contains("schedule   cosine to 0 over 100 epochs, after 5 epochs of linear warm-up"), r.out());
        Map<String, Object> p = ModelFile.read(model).training();
        assertEquals(0.8, ((Number) p.get("beta1")).doubleValue());
        assertEquals(0.99, ((Number) p.get("beta2")).doubleValue());
        assertEquals(1e-7, ((Number) p.get("eps")).doubleValue());
        assertEquals(0.001, ((Number) p.get("weightDecay")).doubleValue());
        assertEquals("cosine", p.get("lrSchedule"));
        assertEquals(5, ((Number) p.get("warmupEpochs")).intValue());
    }

    @Test
    void aStepScheduleAndMomentumTrain() {
        var r = TrainCommandTest.run("train", "--optimizer", "momentum", "--momentum", "0.5", "--lr", "0.01",
                "--lr-schedule", "step", "--lr-step-size", "30", "--lr-gamma", "0.5", "--weight-decay", "1e-4", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("momentum, lr 0.01, momentum 0.5, weight decay 1.0E-4"), r.out());
        assertTrue(r.out().contains("step: x0.5 every 30 epochs"), r.out());
    }

    @Test
    void aPlateauScheduleCutsTheRateAndIsKeptInTheModel() throws Exception {
        Path model = dir.resolve("m.json");
        var r = TrainCommandTest.run("train", "--lr", "1", "--lr-schedule", "plateau", "--lr-gamma", "0.5",
                "--lr-patience", "2", "--lr-threshold", "0.01", "--min-lr", "0.1", "--no-plot", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("schedule   on plateau: x0.5 after 2 epochs without a relative improvement of 0.01, "
                + "down to 0.1"), r.out());
        Map<String, Object> p = ModelFile.read(model).training();
        assertEquals("plateau", p.get("lrSchedule"));
        assertEquals(0.5, ((Number) p.get("lrGamma")).doubleValue());
        assertEquals(2, ((Number) p.get("lrPatience")).intValue());
        assertEquals(0.1, ((Number) p.get("minLr")).doubleValue());
    }

    @Test
    void aTimeBudgetStopsTheRunCleanlyAndWritesTheModel() throws Exception {
        Path model = dir.resolve("m.json");
        var r = TrainCommandTest.run("train", "--max-time", "0.000001", "--no-plot", "--save", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  the time budget of 0.000001 s is spent"), r.out());
        assertEquals(1, ((Number) ModelFile.read(model).training().get("epochs")).intValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--beta1 0.5|--beta1: only used with --optimizer adam (this run uses sgd)",
        "--optimizer adam --momentum 0.5|--momentum: only used with --optimizer momentum (this run uses adam)",
        "--optimizer adam --beta2 1|--beta2: '1.0' must be in [0, 1)",
        "--optimizer adam --eps 0|--eps: '0' must be a positive number",
        "--weight-decay -0.1|--weight-decay: '-0.1' must be zero or positive and finite",
        "--lr-schedule linear|--lr-schedule: 'linear' is not one of constant, step, cosine, plateau",
        "--warmup-epochs 100|--warmup-epochs: '100' must be from 0 to 99, fewer than the 100 epochs",
        "--lr-gamma 0.5|--lr-gamma: only used with --lr-schedule step or plateau",
        "--lr-schedule step --lr-gamma 2|--lr-gamma: '2.0' must be in (0, 1]",
        "--lr-schedule plateau --lr-gamma 1|--lr-gamma: '1.0' must be below 1 with --lr-schedule plateau: a cut by 1 is no cut",
        "--lr-patience 3|--lr-patience: only used with --lr-schedule plateau",
        "--lr-schedule cosine --min-lr 0.1|--min-lr: only used with --lr-schedule plateau",
        "--lr-schedule plateau --lr-patience -1|--lr-patience: '-1' must be 0 or more epochs",
        "--lr-schedule plateau --lr-threshold -1|--lr-threshold: '-1.0' must be zero or positive and finite",
        "--lr-schedule plateau --warmup-epochs 2|--warmup-epochs: not used with --lr-schedule plateau, whose rate is cut by what the loss does from the first epoch",
        "--max-time 0|--max-time: '0.0' must be a positive number of seconds",
    })
    void badValuesGetOneLineAndExitCodeTwo(String args, String message) {
        String[] given = ("train --no-plot " + args).split(" ");
        var r = TrainCommandTest.run(given);
        assertEquals(2, r.code(), r.out());
        assertEquals("descent train: " + message, r.err().strip().lines().findFirst().orElse(""));
    }
}
