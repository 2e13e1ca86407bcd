package dev.descent.cli;

import dev.descent.data.Contradictions;
import dev.descent.doctor.ClassBalance;
import dev.descent.loss.Reduction;
import dev.descent.metrics.RegressionMetrics;
import dev.descent.metrics.Scores;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a finished training run came to, computed once: its history and time, the test set's loss
 * and accuracy, the errors per target in the targets' own units (regression), the limits that
 * contradictory rows put on any model, and the majority baseline. Rendered as the text at the end
 * of {@code descent train} ({@link #print}), as {@code --json} ({@link #json}), as the model file's
 * record of how the run went ({@link #provenance}), and on the page ({@link #endStatus}).
 *
 * @param test            the test set's evaluation, or null (no test set, or the run diverged)
 * @param trainingErrors  regression: the errors on the training data, in the targets' units; else null
 * @param testErrors      regression: the errors on the test set; else null
 * @param limits          identical inputs with different labels, or null for data too large to search
 * @param balance         the classes' counts, or null for regression
 * @param testScores      a classifier's test set scored as evaluate scores one (balanced accuracy, F1,
 *                        ROC AUC), or null
 */
record Outcome(Setup setup, History history, double seconds, Evaluation test, RegressionMetrics trainingErrors,
        RegressionMetrics testErrors, Contradictions limits, ClassBalance balance, Scores.Classes testScores) {
    /** Larger training sets are not searched for contradictory rows after training (the doctor does it). */
    static final int CONTRADICTION_CHECK_LIMIT = 100_000;

    /** The outcome of {@code history}, run by {@code setup} in {@code seconds}: each figure computed once, here. */
    static Outcome of(Setup setup, History history, double seconds) {
        boolean trained = !history.diverged();
        Scores.Classes testScores = setup.test() != null && trained && !setup.regression()
                ? Scores.Classes.of(setup.network(), setup.test()) : null;
        // The test loss and accuracy from the scores' own pass where the loss is the scores' (mean
        // cross-entropy, unweighted): the same sums in the same batches, one pass fewer.
        Evaluation test = setup.test() == null || !trained ? null
                : testScores != null && sameLoss(setup) ? new Evaluation(testScores.loss(),
                        (int) testScores.confusion().correct(), setup.test().size())
                : Evaluation.of(setup.network(), setup.lossFor(setup.test()), setup.test());
        boolean regression = setup.regression() && trained;
        RegressionMetrics training = regression ? Regression.measure(setup.network(), setup.data(),
                setup.start().targetStandardization()) : null;
        RegressionMetrics testErrors = regression && test != null ? Regression.measure(setup.network(), setup.test(),
                setup.start().targetStandardization()) : null;
        Contradictions limits = setup.data().size() <= CONTRADICTION_CHECK_LIMIT ? Contradictions.of(setup.data())
                : null;
        return new Outcome(setup, history, seconds, test, training, testErrors, limits,
                setup.regression() ? null : ClassBalance.of(setup.data()), testScores);
    }

    /** Whether the run's loss on the test set is the scores' mean unweighted cross-entropy, over batches as they take them. */
    private static boolean sameLoss(Setup setup) {
        return setup.reduction() == Reduction.MEAN && setup.recipe().classWeights().none()
                && setup.test().size() > Evaluation.BATCH;
    }

    boolean diverged() {
        return history.diverged();
    }

    /** Whether the data holds contradictory rows, which put a floor under the loss. */
    boolean limited() {
        return limits != null && limits.any();
    }

    /** The run's exit code: 1 when the loss stopped being finite, else 0. */
    int exitCode() {
        return diverged() ? 1 : 0;
    }

    /** The end of the page: {@code 10 epochs, final loss 0.3 ...}, or why it stopped. */
    String endStatus() {
        if (diverged()) {
            return "stopped: " + history.stopReason();
        }
        History.Row last = history.last();
        String accuracy = Double.isNaN(last.accuracy()) ? "" // a regression run has none
                : String.format(Locale.ROOT, ", training accuracy %.1f%%", 100 * last.accuracy());
        return String.format(Locale.ROOT, "%d epochs, final loss %.6g%s%s", last.epoch(), last.loss(), accuracy,
                history.stopReason() != null ? "; " + history.stopReason() : "");
    }

    /**
     * How the run went, for the model file: the history's record of the parameters it kept
     * ({@code History.provenance}), and the test set's loss and accuracy (R² for regression).
     */
    Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>(history.provenance(!setup.regression()));
        if (test != null) {
            p.put("testLoss", test.loss());
            if (!setup.regression()) {
                p.put("testAccuracy", test.accuracy());
            } else if (Double.isFinite(testErrors.targets().get(0).r2())) { // NaN for targets that never vary
                p.put("testR2", testErrors.targets().get(0).r2());
            }
        }
        return p;
    }

    /** The run as {@code --json} prints it, with the files it wrote. */
    Map<String, Object> json(Map<String, Object> files) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("data", setup.data().summary());
        s.put("samples", setup.data().size());
        s.put("network", Setup.describe(setup.network(), setup.regression()));
        s.put("parameters", setup.network().parameterCount());
        s.put("epochs", history.last().epoch());
        s.put("seconds", seconds);
        s.put("diverged", diverged());
        s.put("stopReason", history.stopReason());
        s.put("initialLoss", Json.number(history.first().loss()));
        s.put("finalLoss", Json.number(history.last().loss()));
        boolean regression = setup.regression();
        if (!regression) {
            s.put("finalAccuracy", Json.number(history.last().accuracy()));
        }
        if (history.first().hasValidation()) {
            History.Row kept = history.kept();
            s.put("keptEpoch", kept.epoch());
            s.put("validationLoss", Json.number(kept.validationLoss()));
            if (!regression) {
                s.put("validationAccuracy", Json.number(kept.validationAccuracy()));
            }
        }
        if (test != null) {
            s.put("testLoss", Json.number(test.loss()));
            if (!regression) {
                s.put("testAccuracy", Json.number(test.accuracy()));
                Map<String, Object> more = new LinkedHashMap<>();
                ClassMetrics.json(more, testScores, null);
                s.put("testMetrics", more);
            }
        }
        if (trainingErrors != null) { // each target's errors, in the targets' own units
            s.put("task", "regression");
            s.put("training", Regression.json(trainingErrors));
            if (testErrors != null) {
                s.put("test", Regression.json(testErrors));
            }
        }
        if (limited()) {
            s.put("lossFloor", limits.lossFloor(setup.reduction()));
            s.put("maxAccuracy", limits.maxAccuracy());
        }
        s.put("files", files);
        return s;
    }

    /**
     * The text at the end of a run: the final loss (and accuracy), what stopped it, the kept epoch,
     * the test set's figures, the limits of contradictory data; {@code quiet} leaves out the blank
     * line before it.
     */
    void print(PrintWriter out, boolean quiet) {
        History.Row first = history.first(), last = history.last();
        String gap = quiet ? "" : System.lineSeparator();
        if (diverged()) {
            out.printf(Locale.ROOT, "%nstopped: %s; the learning rate %s is probably too large (try a smaller --lr)%n",
                    history.stopReason(), setup.recipe().learningRate());
        } else if (setup.regression()) {
            out.printf(Locale.ROOT, "%sfinal loss %.6f (from %.6f at the start), %d epoch%s in %.2f s%n", gap,
                    last.loss(), first.loss(), last.epoch(), last.epoch() == 1 ? "" : "s", seconds);
            stopped(out);
            Regression.printSummary(out, "training", trainingErrors);
            if (testErrors != null) {
                Regression.printSummary(out, "test", testErrors);
            }
        } else {
            int n = setup.data().size();
            out.printf(Locale.ROOT, "%sfinal loss %.6f (from %.6f at the start), training accuracy %.1f%% (%d of %d), "
                    + "%d epoch%s in %.2f s%n", gap, last.loss(), first.loss(), 100 * last.accuracy(),
                    Math.round(last.accuracy() * n), n, last.epoch(), last.epoch() == 1 ? "" : "s", seconds);
            Warnings.afterTraining(out, balance, setup.data().classNames(), history,
                    !setup.recipe().classWeights().none());
            stopped(out);
            if (test != null) {
                out.printf(Locale.ROOT, "test loss %.6f, test accuracy %.2f%% (%d of %d)%n", test.loss(),
                        100 * test.accuracy(), test.correct(), test.count());
                out.println("  " + ClassMetrics.summary(testScores, null));
            }
            ObjectiveReport.print(out, setup, test == null ? null : setup.test());
        }
        if (limited()) {
            out.printf(Locale.ROOT, "  this data gives %d input%s two or more labels: no model can beat %.1f%% "
                    + "accuracy or a loss of %.6f%n", limits.groups().size(), limits.groups().size() == 1 ? "" : "s",
                    100 * limits.maxAccuracy(), limits.lossFloor(setup.reduction()));
        }
    }

    /** Why the run stopped early, the epoch it kept, and a warning when the loss rose. */
    private void stopped(PrintWriter out) {
        History.Row first = history.first(), last = history.last();
        if (history.stopReason() != null) {
            out.println("  " + history.stopReason());
        }
        if (history.restoredEpoch() >= 0) {
            History.Row best = history.kept();
            out.printf(Locale.ROOT, "  kept the parameters of epoch %d, the best validation loss: %.6f%s%n", best.epoch(),
                    best.validationLoss(), setup.regression() ? ""
                            : String.format(Locale.ROOT, " (validation accuracy %.1f%%)", 100 * best.validationAccuracy()));
        }
        if (last.loss() > first.loss()) {
            out.println("warning: the loss rose; run 'descent doctor' with the same options to find out why");
        }
    }
}
