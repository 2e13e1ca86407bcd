package dev.descent.doctor;

import dev.descent.data.Batches;
import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.tensor.Matrix;
import dev.descent.train.Evaluation;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What held-out data says about a finished run: overfitting (the validation loss turned up while
 * the training loss kept falling), accuracy no better than always predicting the training set's
 * majority class (for regression, a loss no better than predicting the training targets' mean),
 * and a class the network hardly ever recognises when classes are imbalanced.
 */
final class HeldOutChecks {
    /** Overfitting: the last validation loss exceeds the lowest by this fraction of it. */
    static final double OVERFIT_RISE = 0.1;
    /** Accuracy within this (or two standard errors of the baseline, if more) of the majority baseline is no better than it. */
    static final double BASELINE_MARGIN = 0.01;
    /** The baseline check needs at least this many held-out samples. */
    static final int MIN_HELD_OUT = 20;
    /** With imbalanced classes, a class recalled less often than this is a problem. */
    static final double POOR_RECALL = 0.5;

    private HeldOutChecks() {}

    static Optional<Finding> overfitting(History h) {
        List<History.Row> rows = h.rows();
        if (!rows.get(0).hasValidation() || h.restoredEpoch() >= 0 || rows.size() < 3) {
            return Optional.empty();
        }
        int best = 0;
        for (History.Row r : rows) {
            if (r.validationLoss() < rows.get(best).validationLoss()) {
                best = r.epoch();
            }
        }
        History.Row b = rows.get(best), last = rows.get(rows.size() - 1);
        if (!(last.validationLoss() > b.validationLoss() * (1 + OVERFIT_RISE)) || !(last.loss() < b.loss())) {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "the validation loss was lowest at epoch %d (%.4g), then rose to %.4g "
                + "at epoch %d while the training loss kept falling (%.4g -> %.4g)", b.epoch(), b.validationLoss(),
                last.validationLoss(), last.epoch(), b.loss(), last.loss()));
        int patience = -1, stop = -1, kept = -1;
        for (int p : new int[] {10, 5, 3, 2, 1}) {
            int[] s = earlyStop(rows, p);
            if (s[0] > 0 && rows.get(s[1]).validationLoss() <= b.validationLoss() * 1.02) {
                patience = p;
                stop = s[0];
                kept = s[1];
                break;
            }
        }
        if (patience < 0) {
            return Optional.of(new Finding(Severity.PROBLEM, Kind.OVERFITTING,
                    "the network overfits: it goes on learning the training rows after it stops generalising",
                    evidence, "train fewer epochs, or fewer or narrower layers"));
        }
        evidence.add(String.format(Locale.ROOT, "replayed on this run's history, --patience %d stops at epoch %d and "
                + "keeps the parameters of epoch %d: validation loss %.4g in place of %.4g", patience, stop, kept,
                rows.get(kept).validationLoss(), last.validationLoss()));
        return Optional.of(new Finding(Severity.PROBLEM, Kind.OVERFITTING,
                "the network overfits: it goes on learning the training rows after it stops generalising", evidence,
                "stop early with --patience " + patience + ", which keeps the best validation epoch",
                List.of("--patience", Integer.toString(patience))));
    }

    /** {stop epoch, kept epoch} of early stopping with patience p on these rows; stop 0 when it never stops. */
    private static int[] earlyStop(List<History.Row> rows, int p) {
        int best = 0;
        for (History.Row r : rows) {
            if (r.validationLoss() < rows.get(best).validationLoss()) {
                best = r.epoch();
            }
            if (r.epoch() - best >= p) {
                return new int[] {r.epoch(), best};
            }
        }
        return new int[] {0, best};
    }

    /** Held-out accuracy no better than always predicting the training majority class. */
    static Optional<Finding> noBetterThanBaseline(Network network, Dataset held, String which, ClassBalance training,
            History h, List<String> classNames) {
        if (held == null || held.size() < MIN_HELD_OUT) {
            return Optional.empty();
        }
        int[] predicted = predict(network, held);
        int correct = 0, majority = 0, maj = training.majority();
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == held.labels()[i] ? 1 : 0;
            majority += held.labels()[i] == maj ? 1 : 0;
        }
        double accuracy = (double) correct / held.size(), baseline = (double) majority / held.size();
        // Not better than the baseline: within two standard errors of it, the held-out set being a sample.
        double margin = Math.max(BASELINE_MARGIN, 2 * Math.sqrt(baseline * (1 - baseline) / held.size()));
        if (accuracy > baseline + margin) {
            return Optional.empty();
        }
        double trainAcc = h.last().accuracy();
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "%s accuracy %.1f%% (%d of %d); always predicting '%s' gets %.1f%%",
                which, 100 * accuracy, correct, held.size(), classNames.get(maj), 100 * baseline));
        evidence.add(String.format(Locale.ROOT, "training accuracy %.1f%%", 100 * trainAcc));
        boolean memorised = trainAcc > training.baseline() + 0.1;
        return Optional.of(new Finding(Severity.PROBLEM, Kind.NO_BETTER_THAN_BASELINE,
                "nothing learned holds for new data: " + which + " accuracy is no better than the majority baseline",
                evidence, memorised
                        ? "the network memorised the training rows, but the labels do not follow from the features: "
                                + "check that --label names the class column and that the rows and labels were not "
                                + "shuffled apart"
                        : "the features do not predict the labels: check that --label names the class column and "
                                + "that the rows and labels were not shuffled apart (and see any findings above)"));
    }

    /**
     * Regression: a held-out loss no better than predicting the training targets' mean for every
     * row, within {@link #BASELINE_MARGIN} of it (R² at most about 0.01).
     *
     * @param on   the run's loss on the held-out set's own targets (null without a held-out set)
     * @param mean the training targets' mean, per target
     */
    static Optional<Finding> noBetterThanMean(Network network, Dataset held, String which, Loss on, double[] mean) {
        if (held == null || held.size() < MIN_HELD_OUT) {
            return Optional.empty();
        }
        double model = Evaluation.of(network, on, held).loss();
        double baseline = constantLoss(on, held, mean);
        if (!(model >= (1 - BASELINE_MARGIN) * baseline)) {
            return Optional.empty();
        }
        List<String> evidence = List.of(String.format(Locale.ROOT, "%s loss %.6g (%d samples); predicting the training "
                + "targets' mean for every row gives %.6g", which, model, held.size(), baseline));
        return Optional.of(new Finding(Severity.PROBLEM, Kind.NO_BETTER_THAN_BASELINE,
                "nothing learned holds for new data: " + which + " loss is no better than predicting the training "
                        + "targets' mean (R² ≤ 0)", evidence,
                "the features do not predict the targets: check that --label names the target columns and that the "
                        + "rows and targets were not shuffled apart (and see any findings above)"));
    }

    /** The loss {@code loss} gives the rows of {@code data} when every prediction is {@code values}. */
    static double constantLoss(Loss loss, Dataset data, double[] values) {
        int t = values.length;
        double summed = 0;
        for (int from = 0; from < data.size(); from += Evaluation.BATCH) {
            int n = Math.min(Evaluation.BATCH, data.size() - from);
            Matrix z = new Matrix(n, t);
            for (int i = 0; i < n; i++) {
                System.arraycopy(values, 0, z.data(), i * t, t);
            }
            double l = loss.forward(z, Arrays.copyOfRange(data.labels(), from, from + n));
            summed += loss.reduction() == Reduction.SUM ? l : l * n;
        }
        return loss.reduction() == Reduction.SUM ? summed : summed / data.size();
    }

    /** With imbalanced classes: a class recalled on fewer than half of its samples. */
    static Optional<Finding> poorRecall(Network network, Dataset on, String which, List<String> classNames) {
        int k = classNames.size();
        int[] predicted = predict(network, on);
        int[] right = new int[k], total = new int[k];
        for (int i = 0; i < predicted.length; i++) {
            int y = on.labels()[i];
            total[y]++;
            right[y] += predicted[i] == y ? 1 : 0;
        }
        List<String> poor = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            if (total[c] > 0 && (double) right[c] / total[c] < POOR_RECALL) {
                poor.add(String.format(Locale.ROOT, "'%s' (%d samples, %.1f%% of the %s set): recall %.1f%% (%d of %d)",
                        classNames.get(c), total[c], 100.0 * total[c] / on.size(), which, 100.0 * right[c] / total[c],
                        right[c], total[c]));
            }
        }
        if (poor.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Finding(Severity.PROBLEM, Kind.POOR_RECALL,
                "the network hardly recognises " + (poor.size() == 1 ? "a class" : poor.size() + " classes")
                        + ": the accuracy hides it behind the majority class", poor,
                "judge by recall; give the rare class more weight: more of its rows (oversample it in the file), "
                        + "and features on one scale (--standardize)"));
    }

    static int[] predict(Network network, Dataset data) {
        int[] predicted = new int[data.size()];
        Batches.inOrder(data.features(), 1000, (from, x) -> {
            int[] p = network.predictClasses(x);
            System.arraycopy(p, 0, predicted, from, p.length);
        });
        return predicted;
    }
}
