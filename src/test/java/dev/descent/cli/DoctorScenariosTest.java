package dev.descent.cli;

import static dev.descent.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.TrainCommandTest.Result;
import dev.descent.doctor.Scenarios;
import dev.descent.doctor.Scenarios.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor on data sets built for each finding, end to end: the finding fires with its
 * evidence, exit code 1, and the command it prints (the user's own, with the fix) makes the
 * doctor call the run healthy; healthy runs are called healthy, with exit code 0.
 */
class DoctorScenariosTest {
    @TempDir
    Path dir;

    private Path csv(String name, Table t) {
        return t.write(dir.resolve(name + ".csv"));
    }

    /** The arguments of the printed {@code try:} line, after {@code descent train}. */
    private static String[] tryLine(Result r) {
        String line = r.out().lines().filter(l -> l.startsWith("try:")).findFirst()
                .orElseThrow(() -> new AssertionError("no try line in\n" + r.out()));
        String[] words = line.substring(4).strip().split(" ");
        assertEquals("descent", words[0]);
        assertEquals("train", words[1]);
        return Arrays.copyOfRange(words, 2, words.length);
    }

    private static Result doctor(String... args) {
        List<String> a = new ArrayList<>(List.of("doctor"));
        a.addAll(List.of(args));
        return run(a.toArray(String[]::new));
    }

    private static void assertHealthy(Result r) {
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().strip().endsWith("verdict: healthy"), r.out());
    }

    private static void assertProblem(Result r, String text) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("problem: " + text), r.out());
    }

    @Test
    void healthyRunsOnSeveralDataSetsAndSeedsWithMiniBatchesMomentumAndAdamAreHealthy() {
        for (long seed = 1; seed <= 3; seed++) {
            String data = csv("blobs" + seed, Scenarios.blobs(400, 6, 3, 2, seed)).toString();
            assertHealthy(doctor("--data", data, "--seed", Long.toString(seed)));
            assertHealthy(doctor("--data", data, "--optimizer", "adam", "--validation-split", "0.2"));
            assertHealthy(doctor("--data", data, "--optimizer", "momentum", "--batch", "32", "--lr", "0.01"));
        }
        assertHealthy(doctor("--data", csv("wide", Scenarios.blobs(600, 20, 5, 1.5, 9)).toString(), "--layers", "64,32",
                "--dtype", "float32"));
    }

    @Test
    void aLearningRateFarTooSmallIsNamedAndTheProbedRateWorks() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--lr", "1e-6");
        assertProblem(r, "the steps are too small: the loss barely moves");
        assertTrue(r.out().contains("update-to-weight ratio |ΔW|/|W| of the first step: W1 1.4e-07"), r.out());
        String[] fixed = tryLine(r);
        assertEquals(List.of("--data", data, "--lr", "0.01"), List.of(fixed));
        assertHealthy(doctor(fixed));
    }

    @Test
    void aLearningRateFarTooLargeIsNamedAndTheProbedRateWorks() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--lr", "20");
        assertProblem(r, "the loss rose and stayed up (epoch 1: ");
        assertTrue(r.out().contains("backprop and central differences agree, so the gradient is right"), r.out());
        assertHealthy(doctor(tryLine(r)));
    }

    @Test
    void unscaledFeaturesAreNamedAndStandardizeIsTriedAndWorks() {
        Table t = Scenarios.blobs(400, 6, 2, 1, 4);
        for (double[] row : t.x) {
            row[0] = row[0] * 5000 + 20000;
            row[1] = row[1] * 100 + 300;
        }
        t.names[0] = "area";
        String data = csv("unscaled", t).toString();
        Result r = doctor("--data", data);
        assertProblem(r, "the features are far from mean 0 and sd 1");
        assertTrue(r.out().contains("the largest: 'area' mean 2.188e+04, sd 5239; 'x2' mean 288.9"), r.out());
        assertTrue(r.out().contains("probe from the same start: with --standardize the loss fell from 1.498 to 0.1565"),
                r.out());
        assertTrue(r.out().contains("note:    the loss at initialisation is 6513 per sample; about ln 2 = 0.6931"),
                r.out());
        assertEquals(List.of("--data", data, "--standardize"), List.of(tryLine(r)));
        assertHealthy(doctor(tryLine(r)));

        Result train = run("train", "--data", data, "--no-plot");
        assertTrue(train.out().contains("warning: the features are far from mean 0 and sd 1 ('area' mean 2.188e+04"),
                train.out());
        assertTrue(train.out().contains("warning: nothing learned: training accuracy 52.3% is no better than always "
                + "predicting"), train.out());
    }

    @Test
    void labelsShuffledAgainstTheFeaturesAreNoBetterThanTheBaseline() {
        Table t = Scenarios.blobs(1000, 6, 3, 2, 5);
        String good = csv("good", t).toString();
        Collections.shuffle(Arrays.asList(t.y), new Random(3));
        Result r = doctor("--data", csv("shuffled", t).toString(), "--validation-split", "0.3", "--lr", "0.02");
        assertProblem(r, "nothing learned holds for new data: validation accuracy is no better than the majority baseline");
        assertHealthy(doctor("--data", good, "--validation-split", "0.3", "--lr", "0.02"));
    }

    @Test
    void aContinuousLabelIsNotClassesAndTheRightLabelColumnWorks() {
        Table t = Scenarios.blobs(300, 4, 3, 2, 6);
        Random rng = new Random(2);
        String[] cls = t.y.clone();
        for (int i = 0; i < cls.length; i++) {
            cls[i] = cls[i].substring(1); // c2 -> 2: a numeric column, as a class column in a CSV file often is
        }
        for (int i = 0; i < t.y.length; i++) {
            t.y[i] = String.format(java.util.Locale.ROOT, "%.3f", rng.nextGaussian());
        }
        // x4 becomes the class column: write it as "class" and keep the continuous one last
        Table both = new Table2(t, cls).table;
        String data = csv("continuous", both).toString();
        Result r = doctor("--data", data);
        assertProblem(r, "the label column does not look like classes");
        assertHealthy(doctor("--data", data, "--label", "class"));
    }

    /** A table with a class column inserted before the (continuous) label. */
    private static final class Table2 {
        final Table table;

        Table2(Table t, String[] classes) {
            double[][] x = new double[t.x.length][];
            for (int i = 0; i < x.length; i++) {
                x[i] = Arrays.copyOf(t.x[i], t.x[i].length + 1);
                x[i][t.x[i].length] = Double.parseDouble(t.y[i]);
            }
            String[] names = Arrays.copyOf(t.names, t.names.length + 1);
            names[names.length - 1] = "amount";
            Table out = Scenarios.table(x, classes);
            out.names = names;
            // write 'amount' as the label column: swap the roles when written
            this.table = Scenarios.swapLabel(out, "class");
        }
    }

    @Test
    void aRowIdUsedAsAFeatureIsNamedAndTheFileWithoutItIsHealthy() {
        Table t = Scenarios.blobs(300, 4, 3, 2, 7);
        String without = csv("without", t).toString();
        double[][] x = new double[t.x.length][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[t.x[i].length + 1];
            x[i][0] = 1000 + i;
            System.arraycopy(t.x[i], 0, x[i], 1, t.x[i].length);
        }
        Table with = Scenarios.table(x, t.y);
        with.names[0] = "id";
        Result r = doctor("--data", csv("with", with).toString(), "--standardize");
        assertProblem(r, "'id' looks like a row id, not a feature");
        assertHealthy(doctor("--data", without));
    }

    @Test
    void aRareClassThatIsNeverRecalledIsNamedAndAFeatureThatSeparatesItIsHealthy() {
        Result r = doctor("--data", csv("rare", Scenarios.imbalanced(1000, 4, 0.05, 1.0, 6)).toString(),
                "--validation-split", "0.3");
        assertProblem(r, "the network hardly recognises a class");
        assertTrue(r.out().contains("'rare' (12 samples, 4.0% of the validation set): recall 0.0% (0 of 12)"), r.out());
        assertTrue(r.out().contains("note:    the classes are imbalanced: 'common' has 665 samples, 'rare' 35"), r.out());
        Result separable = doctor("--data", csv("separable", Scenarios.imbalanced(1000, 4, 0.05, 6.0, 6)).toString(),
                "--validation-split", "0.3");
        assertHealthy(separable);
        assertTrue(separable.out().contains("note:    the classes are imbalanced"), separable.out());
    }

    @Test
    void testRowsThatAreTrainingRowsAreLeakage() {
        Table t = Scenarios.blobs(400, 6, 3, 2, 8);
        String data = csv("train", t).toString();
        Table leaked = Scenarios.table(Arrays.copyOf(t.x, 50), Arrays.copyOf(t.y, 50));
        Result r = doctor("--data", data, "--test", csv("leaked", leaked).toString());
        assertProblem(r, "50 of the 50 test rows (100.0%) are also training rows");
        Table fresh = Scenarios.blobs(450, 6, 3, 2, 8);
        Table held = Scenarios.table(Arrays.copyOfRange(fresh.x, 400, 450), Arrays.copyOfRange(fresh.y, 400, 450));
        assertHealthy(doctor("--data", data, "--test", csv("held", held).toString()));
    }

    @Test
    void overfittingIsFoundAndThePatienceItSuggestsKeepsTheBestEpoch() {
        String data = csv("noisy", Scenarios.blobs(150, 20, 2, 0.3, 7)).toString();
        Result r = doctor("--data", data, "--validation-split", "0.3", "--epochs", "150", "--layers", "256", "--lr",
                "0.05");
        assertProblem(r, "the network overfits");
        String[] fixed = tryLine(r);
        assertTrue(String.join(" ", fixed).contains("--patience "), String.join(" ", fixed));
        Result after = doctor(fixed);
        assertFalse(after.out().contains("overfits"), after.out());
    }

    @Test
    void deepSigmoidsStuckAtTheBaselineHaveVanishingGradientsAndReluLearns() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--layers", "32,32,32,32,32,32,32,32", "--activation", "sigmoid");
        assertProblem(r, "nothing learned: the loss is stuck at the level of a network that ignores its input");
        assertProblem(r, "the gradients vanish on their way back to the first layers");
        assertTrue(r.out().contains("|dW|/|W| per tensor at the start: W1 7.6e-06"), r.out());
        assertHealthy(doctor("--data", data, "--layers", "32,32,32,32,32,32,32,32", "--activation", "relu"));
    }

    @Test
    void largeStartingWeightsInADeepReluNetworkExplodeAndTheProbedInitialisationWorks() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--layers", "32,32,32,32,32,32", "--init", "uniform01");
        assertProblem(r, "the gradients explode: far larger than the weights they update");
        assertTrue(r.out().contains("|dW|/|W| above 100 at the start: W1 7.7e+03, W2 1.7e+02, W5 1.5e+02, W6 1.3e+03, "
                + "W7 3.9e+04 (a healthy start is about 1e-2 to 10)"), r.out());
        assertTrue(r.out().contains("probe from the same seed: with --init he the loss fell from 3.375 to 0.2100 in 5 "
                + "epochs"), r.out());
        String[] fixed = tryLine(r);
        assertEquals(List.of("--data", data, "--layers", "32,32,32,32,32,32", "--init", "he"), List.of(fixed));
        Result after = doctor(fixed);
        assertHealthy(after);
        assertFalse(after.out().contains("explode"), after.out());

        // A rate far too large is not an explosion: the gradients are of a healthy size, the step is not.
        Result large = doctor("--data", data, "--lr", "20");
        assertFalse(large.out().contains("explode"), large.out());
    }

    @Test
    void reluUnitsKilledByLargeStartingWeightsAreRevivedByTheInitialisationTheProbesChoose() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--layers", "32,32,32", "--init", "uniform01");
        assertProblem(r, "the network's output no longer depends on its input: a whole ReLU layer is dead");
        assertFalse(r.out().contains("explode"), r.out()); // large, but not exploding: the choice is the dead layer's
        assertTrue(r.out().contains("probe from the same seed with --init he: the loss fell from 1.804 to 0.06666 in 5 "
                + "epochs"), r.out());
        assertTrue(r.out().contains("smaller learning rates instead, 5 epochs each: lr 0.05 fell (228.191 -> 1.07882)"),
                r.out());
        assertTrue(r.out().contains("-> start from a scaled initialisation (--init he)"), r.out());
        String[] fixed = tryLine(r);
        assertEquals(List.of("--data", data, "--layers", "32,32,32", "--init", "he"), List.of(fixed));
        assertHealthy(doctor(fixed));
    }

    @Test
    void aConstantFeatureIsANoteNotAProblem() {
        Table t = Scenarios.blobs(300, 4, 3, 2, 3);
        for (double[] row : t.x) {
            row[2] = 1;
        }
        Result r = doctor("--data", csv("constant", t).toString(), "--lr", "0.05");
        assertHealthy(r);
        assertTrue(r.out().contains("note:    1 feature is constant over the training data"), r.out());
    }

    @Test
    void jsonGivesTheFindingsAndTheFixForScriptsWithTheSameExitCodes() throws Exception {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--lr", "1e-6", "--json");
        assertEquals(1, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("problems", json.get("verdict").asText());
        assertEquals("step_too_small", json.get("findings").get(0).get("kind").asText());
        assertEquals("[\"--lr\",\"0.01\"]", json.get("fix").toString());
        assertEquals("descent train --data " + data + " --lr 0.01", json.get("try").asText());
        assertEquals(11, json.get("history").size());

        Result healthy = doctor("--data", data, "--json");
        assertEquals(0, healthy.code(), healthy.err());
        assertEquals("healthy", new ObjectMapper().readTree(healthy.out()).get("verdict").asText());

        Result check = run("gradcheck", "--json");
        assertEquals(0, check.code(), check.err());
        JsonNode g = new ObjectMapper().readTree(check.out());
        assertTrue(g.get("passed").asBoolean());
        assertEquals("W1", g.get("tensors").get(0).get("name").asText());
    }

    @Test
    void badOptionsGetOneLineAndExitCode2() {
        Result resume = doctor("--resume", "somewhere");
        assertEquals(2, resume.code());
        assertEquals("descent doctor: --resume: the doctor watches a run from its start; give the run's own options "
                + "instead", resume.err().strip());
        Result batch = doctor("--batch", "many");
        assertEquals(2, batch.code());
        assertEquals("descent doctor: --batch: 'many' is not a whole number of samples or 'full'", batch.err().strip());
        Result missing = doctor("--data", "no-such.csv");
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
    }
}
