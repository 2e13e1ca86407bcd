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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    static String[] tryLine(Result r) {
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

    /** One cause, one problem: exactly one problem is printed. */
    private static void assertOneProblem(Result r, String text) {
        assertProblem(r, text);
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("problem:")).count(), r.out());
        assertTrue(r.out().strip().endsWith("verdict: 1 problem found"), r.out());
    }

    private static final Pattern STATED = Pattern.compile("verified: this command's own run, .* ends at \\S+ "
            + "(\\d+\\.\\d)%");
    private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy (\\d+\\.\\d+)%");
    /** The user's run trains on every row and is tested on rows of its own: a few points either way. */
    private static final double SLACK = 5;

    /** The held-out accuracy the verified try line states its run reaches. */
    private static double stated(Result r) {
        Matcher m = STATED.matcher(r.out());
        assertTrue(m.find(), "no verified try line in\n" + r.out());
        return Double.parseDouble(m.group(1));
    }

    /**
     * The try line applied by descent train, tested on {@code test} (rows from the same generator):
     * its test accuracy reaches the level the doctor stated, within {@link #SLACK} points.
     */
    static double assertTrainsToTheStatedLevel(Result r, String test) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(tryLine(r)));
        args.addAll(List.of("--test", test, "--no-plot"));
        Result trained = run(args.toArray(String[]::new));
        assertEquals(0, trained.code(), trained.out() + trained.err());
        Matcher m = TEST_ACCURACY.matcher(trained.out());
        assertTrue(m.find(), trained.out());
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy >= stated(r) - SLACK, "stated " + stated(r) + "%, trained to " + accuracy + "%\n"
                + r.out() + trained.out());
        return accuracy;
    }

    /** No try line: no change the doctor tried worked (the findings say what was tried). */
    private static void assertNoTryLine(Result r) {
        assertFalse(r.out().contains("\ntry:"), r.out());
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
        assertTrainsToTheStatedLevel(r, csv("small-test", Scenarios.rows(Scenarios.blobs(600, 6, 3, 2, 1), 400, 600))
                .toString());
    }

    @Test
    void aLearningRateFarTooLargeIsNamedAndTheProbedRateWorks() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--lr", "20");
        assertOneProblem(r, "the loss rose and stayed up (epoch 1: ");
        assertTrue(r.out().contains("backprop and central differences agree, so the gradient is right"), r.out());
        assertHealthy(doctor(tryLine(r)));
        assertTrainsToTheStatedLevel(r, csv("large-test", Scenarios.rows(Scenarios.blobs(600, 6, 3, 2, 1), 400, 600))
                .toString());
    }

    /** Two columns of blobs far off scale: area near 20,000, x2 near 300. */
    private static Table unscaled(int n) {
        Table t = Scenarios.blobs(n, 6, 2, 1, 4);
        for (double[] row : t.x) {
            row[0] = row[0] * 5000 + 20000;
            row[1] = row[1] * 100 + 300;
        }
        t.names[0] = "area";
        return t;
    }

    @Test
    void unscaledFeaturesAreOneProblemWhoseConsequencesAreItsEvidenceAndStandardizeWorks() {
        String data = csv("unscaled", unscaled(400)).toString();
        Result r = doctor("--data", data);
        // the explosion, the dead layer and nothing learned are the scale's consequences, not problems of their own
        assertOneProblem(r, "the features are far from mean 0 and sd 1");
        assertTrue(r.out().contains("the largest: 'area' mean 2.188e+04, sd 5239; 'x2' mean 288.9"), r.out());
        assertTrue(r.out().contains("probe from the same start: with --standardize the loss went from 1.510 to 0.1506 "
                + "in 10 epochs; held-out accuracy 95.0%"), r.out());
        assertTrue(r.out().contains("the gradients explode at the start, |dW|/|W| above 100: W1 9.9e+02, W2 4.2e+04; "
                + "with the features standardised they do not"), r.out());
        assertTrue(r.out().contains("a whole ReLU layer died: layer 2 (relu): 128 of 128 units dead from the start"),
                r.out());
        assertTrue(r.out().contains("the layer died because large inputs pushed every unit below 0; with --standardize "
                + "it does not"), r.out());
        assertTrue(r.out().contains("the loss at initialisation is 6519 per sample; about ln 2 = 0.6931 is expected: "
                + "large inputs make large outputs"), r.out());
        assertFalse(r.out().contains("(he)"), r.out()); // the run already starts from he: no advice to use it
        assertFalse(r.out().contains("shuffled apart"), r.out());
        assertEquals(List.of("--data", data, "--standardize"), List.of(tryLine(r)));
        assertHealthy(doctor(tryLine(r)));
        assertTrainsToTheStatedLevel(r, csv("unscaled-test", Scenarios.rows(unscaled(600), 400, 600)).toString());

        Result train = run("train", "--data", data, "--no-plot");
        assertTrue(train.out().contains("warning: the features are far from mean 0 and sd 1 ('area' mean 2.188e+04"),
                train.out());
        assertTrue(train.out().contains("warning: nothing learned: training accuracy 52.3% is no better than always "
                + "predicting"), train.out());
    }

    /** Eight pixel-like features near 130 with a spread of 40, three classes: the shape of a PyTorch run on raw pixels. */
    private static Table pixels(int n) {
        Table t = Scenarios.blobs(n, 8, 3, 1.5, 12);
        for (double[] row : t.x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = 130 + 40 * row[j];
            }
        }
        return t;
    }

    @Test
    void twoChangesThatWorkOnlyTogetherArePrintedTogether() {
        String data = csv("pixels", pixels(400)).toString();
        Result r = doctor("--data", data, "--optimizer", "momentum", "--lr", "0.001", "--batch", "full", "--epochs",
                "20");
        // --standardize alone ends less accurate than the run as it is; at a rate that suits standardised
        // inputs it ends clearly better: the two changes are one fix
        assertOneProblem(r, "the features are far from mean 0 and sd 1");
        assertTrue(r.out().contains("with --standardize at other rates, 20 epochs each: lr 0.01: held-out 94.9%"),
                r.out());
        assertTrue(r.out().contains("the loss rose across a step of descent (epoch 1: 187.682 -> 719.443); the "
                + "gradient check at the parameters before that step passed"), r.out());
        assertEquals(List.of("--data", data, "--optimizer", "momentum", "--batch", "full", "--epochs", "20",
                "--standardize", "--lr", "0.01"), List.of(tryLine(r)));
        assertTrainsToTheStatedLevel(r, csv("pixels-test", Scenarios.rows(pixels(600), 400, 600)).toString());
    }

    @Test
    void labelsShuffledOnASmallTabularSetAreNamedWithNoTryLineEvenAfterStandardize() {
        Table wine = Scenarios.wineLike(178, 5);
        String shuffled = csv("wine-shuffled", Scenarios.shuffledLabels(wine, 3)).toString();
        // Without held-out data of the user's, the doctor holds out its own: nothing it fits holds there.
        Result r = doctor("--data", shuffled);
        assertTrue(r.out().contains("judged:  on 35 of the 178 training rows, held out (20% of each class, seed 1)"),
                r.out());
        assertOneProblem(r, "the labels do not follow from the features: the network can fit the training rows, and "
                + "nothing it fits holds for held-out rows");
        assertTrue(r.out().contains("-> no change to the training will help: check that --label names the class "
                + "column and that the rows and labels were not shuffled apart"), r.out());
        assertNoTryLine(r);
        // --standardize does not hide it: the run is still judged on rows it did not train on.
        Result standardized = doctor("--data", shuffled, "--standardize");
        assertOneProblem(standardized, "the labels do not follow from the features");
        assertNoTryLine(standardized);

        // The same rows with their own labels: the scale is the problem, and --standardize is the verified fix.
        String good = csv("wine", wine).toString();
        Result fine = doctor("--data", good);
        assertOneProblem(fine, "the features are far from mean 0 and sd 1");
        assertEquals(List.of("--data", good, "--standardize"), List.of(tryLine(fine)));
        assertHealthy(doctor(tryLine(fine)));
        assertTrainsToTheStatedLevel(fine, csv("wine-test", Scenarios.rows(Scenarios.wineLike(378, 5), 178, 378))
                .toString());
    }

    @Test
    void labelsShuffledWithAValidationSplitAreNamedAsUnrelatedToTheFeatures() {
        Table t = Scenarios.blobs(1000, 6, 3, 2, 5);
        String good = csv("good", t).toString();
        Result r = doctor("--data", csv("shuffled", Scenarios.shuffledLabels(t, 3)).toString(), "--validation-split",
                "0.3", "--lr", "0.02");
        assertOneProblem(r, "the labels do not follow from the features");
        assertFalse(r.out().contains("judged:"), r.out()); // the user's own validation split is the judge
        assertHealthy(doctor("--data", good, "--validation-split", "0.3", "--lr", "0.02"));

        // Four hidden units cannot fit the rows either: nothing learned holds, with no problem above to explain it.
        Result small = doctor("--data", csv("shuffled-small", Scenarios.shuffledLabels(t, 3)).toString(), "--layers",
                "4");
        assertOneProblem(small, "nothing learned holds for new data: held-out accuracy is no better than the majority "
                + "baseline");
        assertNoTryLine(small);
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
    void aRareClassThatIsNeverRecalledIsOneProblemWithItsImbalanceAndAFeatureThatSeparatesItIsHealthy() {
        String rare = csv("rare", Scenarios.imbalanced(1000, 4, 0.05, 1.0, 6)).toString();
        Result r = doctor("--data", rare, "--validation-split", "0.3");
        // nothing learned is the imbalance's doing: told under it, with no advice about --label
        assertOneProblem(r, "the network hardly recognises a class");
        assertTrue(r.out().contains("'rare' (12 samples, 4.0% of the validation set): recall 0.0% (0 of 12)"), r.out());
        assertTrue(r.out().contains("the classes are imbalanced: 'common' has 665 samples, 'rare' 35"), r.out());
        assertFalse(r.out().contains("note:    the classes are imbalanced"), r.out());
        assertFalse(r.out().contains("--label"), r.out());
        // the fix weighs the classes, and is verified by the balanced accuracy it raises
        assertEquals(List.of("--data", rare, "--validation-split", "0.3", "--class-weight", "balanced"),
                List.of(tryLine(r)));
        Matcher m = Pattern.compile("ends at .*balanced accuracy (\\d+\\.\\d)% \\(as it is: .*balanced accuracy "
                + "(\\d+\\.\\d)%").matcher(r.out());
        assertTrue(m.find(), r.out());
        double fixed = Double.parseDouble(m.group(1)), before = Double.parseDouble(m.group(2));
        assertTrue(fixed >= before + 5, r.out()); // Probes.BETTER_BALANCED, in points
        // and train with it does what was verified, on rows of the same generator it never saw
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(tryLine(r)));
        args.addAll(List.of("--test", csv("rare-test", Scenarios.imbalanced(1000, 4, 0.05, 1.0, 7)).toString(),
                "--no-plot"));
        Result trained = run(args.toArray(String[]::new));
        Matcher t = Pattern.compile("test accuracy .*\n\\s+balanced accuracy (\\d+\\.\\d)%").matcher(trained.out());
        assertTrue(t.find(), trained.out());
        assertTrue(Double.parseDouble(t.group(1)) >= fixed - SLACK, r.out() + trained.out());
        Result weighted = doctor("--data", rare, "--validation-split", "0.3", "--class-weight", "balanced");
        assertFalse(weighted.out().contains("--class-weight balanced, scikit-learn's"), "weighted already: "
                + weighted.out());
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
    void overfittingWithASplitIsFoundAndThePatienceItVerifiedKeepsTheBestEpoch() {
        Table t = Scenarios.blobs(500, 20, 2, 0.5, 7);
        String data = csv("overfit", Scenarios.rows(t, 0, 300)).toString();
        Result r = doctor("--data", data, "--validation-split", "0.3", "--epochs", "150", "--layers", "256", "--lr",
                "0.05");
        assertOneProblem(r, "the network overfits");
        assertTrue(r.out().contains("the validation loss was lowest at epoch 32"), r.out());
        String[] fixed = tryLine(r);
        assertTrue(String.join(" ", fixed).endsWith("--patience 10"), String.join(" ", fixed));
        Result after = doctor(fixed);
        assertFalse(after.out().contains("overfits"), after.out());
        assertTrainsToTheStatedLevel(r, csv("overfit-test", Scenarios.rows(t, 300, 500)).toString());

        // 150 noisier rows: a gap, and no change the doctor tries can be shown to beat the majority class on 45
        // validation rows, so there is no try line, and what was tried is said.
        Result noisy = doctor("--data", csv("noisy", Scenarios.blobs(150, 20, 2, 0.3, 7)).toString(),
                "--validation-split", "0.3", "--epochs", "150", "--layers", "256", "--lr", "0.05");
        assertOneProblem(noisy, "the network overfits");
        assertTrue(noisy.out().contains("a generalisation gap: training accuracy 99.0%"), noisy.out());
        assertFalse(noisy.out().contains("\ntry:"), noisy.out());
    }

    @Test
    void aGeneralisationGapOnTheDoctorsOwnHeldOutRowsIsFoundAndItsVerifiedFixWorks() {
        Table t = Scenarios.blobs(800, 20, 2, 0.3, 7);
        String data = csv("gap", Scenarios.rows(t, 0, 600)).toString();
        Result r = doctor("--data", data, "--epochs", "150", "--layers", "256", "--lr", "0.05");
        assertOneProblem(r, "the network overfits");
        assertTrue(r.out().contains("a generalisation gap: training accuracy 95.6%"), r.out());
        String command = String.join(" ", tryLine(r));
        assertFalse(command.contains("--validation-split") || command.contains("--patience"), command); // no split
        assertTrainsToTheStatedLevel(r, csv("gap-test", Scenarios.rows(t, 600, 800)).toString());
    }

    @Test
    void deepSigmoidsStuckAtTheBaselineAreOneProblemOfVanishingGradientsAndReluLearns() {
        String data = csv("blobs", Scenarios.blobs(400, 6, 3, 2, 1)).toString();
        Result r = doctor("--data", data, "--layers", "32,32,32,32,32,32,32,32", "--activation", "sigmoid");
        assertOneProblem(r, "nothing learned: the gradients vanish on their way back to the first layers");
        assertTrue(r.out().contains("|dW|/|W| per tensor at the start: W1 7.6e-06"), r.out());
        assertTrue(r.out().contains("after 10 epochs the loss is 1.10048"), r.out());
        assertHealthy(doctor("--data", data, "--layers", "32,32,32,32,32,32,32,32", "--activation", "relu"));
    }

    @Test
    void largeStartingWeightsInADeepReluNetworkExplodeAndTheProbedInitialisationWorks() {
        Table blobs = Scenarios.blobs(600, 6, 3, 2, 1);
        String data = csv("blobs", Scenarios.rows(blobs, 0, 400)).toString();
        Result r = doctor("--data", data, "--layers", "32,32,32,32,32,32", "--init", "uniform01");
        // the dead layers and nothing learned follow from the starting weights: one problem
        assertOneProblem(r, "the gradients explode: far larger than the weights they update");
        assertTrue(r.out().contains("|dW|/|W| above 100 at the start: W1 7.1e+03, W2 1.5e+02, W5 1.3e+02, W6 1.1e+03, "
                + "W7 3.5e+04 (a healthy start is about 1e-2 to 10)"), r.out());
        assertTrue(r.out().contains("probe from the same seed: with --init he the loss went from 3.375 to 0.07157 in 10 "
                + "epochs; held-out accuracy 96.3%"), r.out());
        assertTrue(r.out().contains("a whole ReLU layer died: layer 4 (relu): 32 of 32 units dead"), r.out());
        String[] fixed = tryLine(r);
        assertEquals(List.of("--data", data, "--layers", "32,32,32,32,32,32", "--init", "he"), List.of(fixed));
        Result after = doctor(fixed);
        assertHealthy(after);
        assertFalse(after.out().contains("explode"), after.out());
        assertTrainsToTheStatedLevel(r, csv("blobs-test", Scenarios.rows(blobs, 400, 600)).toString());

        // A rate far too large is not an explosion: the gradients are of a healthy size, the step is not.
        Result large = doctor("--data", data, "--lr", "20");
        assertFalse(large.out().contains("explode"), large.out());
    }

    @Test
    void aNetworkThatLearnsNothingFromLargeStartingWeightsLearnsFromTheInitialisationTheProbesChoose() {
        Table blobs = Scenarios.blobs(600, 6, 3, 2, 1);
        String data = csv("blobs", Scenarios.rows(blobs, 0, 400)).toString();
        Result r = doctor("--data", data, "--layers", "32,32,32", "--init", "uniform01");
        assertOneProblem(r, "nothing learned: the loss is stuck at the level of a network that ignores its input");
        assertFalse(r.out().contains("explode"), r.out()); // large, but not exploding
        assertTrue(r.out().contains("probe from the same seed with --init he: the loss went from 1.787 to 0.03537 in "
                + "10 epochs; held-out accuracy 96.3%"), r.out());
        assertTrue(r.out().contains("-> start from the initialisation suited to the activations (--init he)"), r.out());
        assertFalse(r.out().contains("shuffled apart"), r.out());
        String[] fixed = tryLine(r);
        assertEquals(List.of("--data", data, "--layers", "32,32,32", "--init", "he"), List.of(fixed));
        assertHealthy(doctor(fixed));
        assertTrainsToTheStatedLevel(r, csv("blobs-test", Scenarios.rows(blobs, 400, 600)).toString());
    }

    @Test
    void aLayerKilledByARateTooLargeIsADeadNetworkAndTheSmallerRateItsProbesFoundWorks() {
        Table blobs = Scenarios.blobs(600, 6, 3, 2, 1);
        String data = csv("blobs", Scenarios.rows(blobs, 0, 400)).toString();
        Result r = doctor("--data", data, "--lr", "3", "--batch", "32", "--layers", "32,32");
        assertOneProblem(r, "the network's output no longer depends on its input: a whole ReLU layer is dead");
        assertTrue(r.out().contains("nothing learned holds for rows it did not train on: held-out accuracy"), r.out());
        assertFalse(r.out().contains("--label"), r.out());
        assertEquals(List.of("--data", data, "--batch", "32", "--layers", "32,32", "--lr", "0.375"), List.of(tryLine(r)));
        assertTrainsToTheStatedLevel(r, csv("blobs-test", Scenarios.rows(blobs, 400, 600)).toString());
    }

    @Test
    void aSlowPlateauIsNamedWithTheLargerRateItsProbeFoundAndThatRateWorks() {
        Table blobs = Scenarios.blobs(600, 6, 3, 2, 1);
        String data = csv("blobs", Scenarios.rows(blobs, 0, 400)).toString();
        Result r = doctor("--data", data, "--lr", "0.0003", "--epochs", "30", "--batch", "full");
        assertOneProblem(r, "a slow plateau: after 30 epochs the loss is still near the level of a network that "
                + "ignores its input");
        assertTrue(r.out().contains("within 5% of the loss of predicting the class frequencies"), r.out());
        assertEquals(List.of("--data", data, "--epochs", "30", "--batch", "full", "--lr", "0.003"),
                List.of(tryLine(r)));
        assertHealthy(doctor(tryLine(r)));
        assertTrainsToTheStatedLevel(r, csv("blobs-test", Scenarios.rows(blobs, 400, 600)).toString());
    }

    @Test
    void labelsMovedToAnotherClassAreANoteOnLabelNoiseNotAProblem() {
        Table clean = Scenarios.blobs(800, 6, 3, 3, 11);
        Result r = doctor("--data", csv("flipped", Scenarios.flippedLabels(clean, 3, 0.1, 4)).toString(), "--lr",
                "0.01");
        assertHealthy(r);
        assertTrue(r.out().contains("note:    some labels look wrong: the trained network confidently gives 38 of 640 "
                + "training rows another class"), r.out());
        Result none = doctor("--data", csv("clean", clean).toString(), "--lr", "0.01");
        assertFalse(none.out().contains("labels look wrong"), none.out());
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
        assertTrue(json.get("verification").get(0).asText().startsWith("verified: this command's own run"), r.out());
        assertTrue(json.get("heldOut").asText().startsWith("on 80 of the 400 training rows, held out"), r.out());
        assertTrue(json.get("findings").get(0).get("rule").asText().startsWith("learned nothing (training accuracy "
                + "within 1 point of the majority baseline"), r.out());

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
