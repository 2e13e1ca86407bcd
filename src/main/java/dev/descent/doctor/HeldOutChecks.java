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
 * Figures held-out data gives about a finished run, for {@link Generalisation}: the validation
 * loss turning up while the training loss kept falling (and the patience that would have stopped
 * it), the loss of a constant prediction, and a class the network hardly ever recognises when
 * classes are imbalanced.
 */
final class HeldOutChecks {
    /** Overfitting: the last validation loss exceeds the lowest by this fraction of it. */
    static final double OVERFIT_RISE = 0.1;
    /** With imbalanced classes, a class recalled less often than this is a problem. */
    static final double POOR_RECALL = 0.5;

    private HeldOutChecks() {}

    /**
     * The validation loss rose while the training loss fell: its lowest epoch and the line that says
     * so; null when it did not (or early stopping already kept the best epoch).
     *
     * @param matters the smallest rise, in the history's units of validation loss, that counts: a rise
     *                of 10% from a loss near zero is no rise
     */
    static Rise rise(History h, double matters) {
        List<History.Row> rows = h.rows();
        if (!rows.get(0).hasValidation() || h.restoredEpoch() >= 0 || rows.size() < 3) {
            return null;
        }
        int best = bestEpoch(rows);
        History.Row b = rows.get(best), last = rows.get(rows.size() - 1);
        if (!(last.validationLoss() > b.validationLoss() * (1 + OVERFIT_RISE))
                || !(last.validationLoss() - b.validationLoss() > matters) || !(last.loss() < b.loss())) {
            return null;
        }
        return new Rise(best, String.format(Locale.ROOT, "the validation loss was lowest at epoch %d (%.4g), then "
                + "rose to %.4g at epoch %d while the training loss kept falling (%.4g -> %.4g)", b.epoch(),
                b.validationLoss(), last.validationLoss(), last.epoch(), b.loss(), last.loss()));
    }

    /** @param best the epoch of the lowest validation loss */
    record Rise(int best, String line) {}

    /** The epoch of the lowest validation loss (the first of equals). */
    static int bestEpoch(List<History.Row> rows) {
        int best = 0;
        for (History.Row r : rows) {
            if (r.validationLoss() < rows.get(best).validationLoss()) {
                best = r.epoch();
            }
        }
        return best;
    }

    /**
     * The largest of 10, 5, 3, 2, 1 epochs of patience that, replayed on the run's own history,
     * stops and keeps parameters within 2% of the best validation loss; -1 when none does.
     */
    static int patience(List<History.Row> rows) {
        double best = rows.get(bestEpoch(rows)).validationLoss();
        for (int p : new int[] {10, 5, 3, 2, 1}) {
            int[] s = earlyStop(rows, p);
            if (s[0] > 0 && rows.get(s[1]).validationLoss() <= best * 1.02) {
                return p;
            }
        }
        return -1;
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

    /**
     * With imbalanced classes: a class recalled on fewer than half of its samples. Its fix is
     * {@code --class-weight balanced} when the run weighs no class yet (verified like every fix, by
     * the balanced accuracy: {@link Probes#balances}).
     */
    static Optional<Finding> poorRecall(Network network, Dataset on, String which, List<String> classNames,
            boolean weighted) {
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
                weighted ? "judge by recall; the classes are weighted already: give the rare class a larger weight "
                        + "(--class-weight name=w) or more of its rows, and features on one scale (--standardize)"
                        : "judge by recall; give the rare class more weight (--class-weight balanced, scikit-learn's "
                        + "n/(k·n_c)) or more of its rows, and features on one scale (--standardize)",
                weighted ? List.of() : List.of("--class-weight", "balanced")));
    }

    /** The mean over the classes present in {@code data} of each one's recall (scikit-learn's balanced_accuracy_score). */
    static double balancedAccuracy(Network network, Dataset data) {
        int k = data.classCount();
        int[] predicted = predict(network, data);
        int[] right = new int[k], total = new int[k];
        for (int i = 0; i < predicted.length; i++) {
            int y = data.labels()[i];
            total[y]++;
            right[y] += predicted[i] == y ? 1 : 0;
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (total[c] > 0) {
                sum += (double) right[c] / total[c];
                present++;
            }
        }
        return sum / present;
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
