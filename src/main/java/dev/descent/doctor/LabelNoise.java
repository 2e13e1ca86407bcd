package dev.descent.doctor;

import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.tensor.Matrix;
import java.util.List;
import java.util.Locale;

/**
 * A note on label noise: training rows the trained network confidently gives another class than
 * their label (a probability of at least {@link #CONFIDENT}), more than chance would give. A
 * network whose probabilities are right is wrong on a row it gives p with probability 1 − p, so
 * about Σ(1 − p) of those rows are expected wrong; when at least {@link #MIN_ROWS} (and
 * {@link #MIN_FRACTION} of the rows) are, beyond three standard deviations of that count, some
 * labels are likely wrong. Not a problem of the run: a fact about the data.
 */
final class LabelNoise {
    static final double CONFIDENT = 0.9;
    static final int MIN_ROWS = 5;
    static final double MIN_FRACTION = 0.01;
    /** Standard deviations above the expected count. */
    static final double SIGMAS = 3;

    private LabelNoise() {}

    static List<Finding> rule(Case c, List<Finding> earlier) {
        if (c.balance == null || c.history.diverged() || !c.judge.learned(c.heldScore())) {
            return List.of();
        }
        Matrix p = c.at(c.end).predictProbabilities(c.probeData.featureMatrix());
        int[] labels = c.probeData.labels();
        int wrong = 0;
        double expected = 0;
        for (int r = 0; r < labels.length; r++) {
            int top = 0;
            for (int k = 1; k < p.cols(); k++) {
                top = p.get(r, k) > p.get(r, top) ? k : top;
            }
            double confidence = p.get(r, top);
            if (confidence >= CONFIDENT) {
                expected += 1 - confidence;
                wrong += top != labels[r] ? 1 : 0;
            }
        }
        int n = labels.length;
        if (wrong < Math.max(MIN_ROWS, MIN_FRACTION * n) || wrong <= expected + SIGMAS * Math.sqrt(expected)) {
            return List.of();
        }
        return List.of(new Finding(Severity.NOTE, Kind.LABEL_NOISE, String.format(Locale.ROOT, "some labels look "
                + "wrong: the trained network confidently gives %d of %d training rows another class", wrong, n),
                List.of(String.format(Locale.ROOT, "%d rows get another class with probability %s or more; if its "
                        + "probabilities were right, about %.1f of them would", wrong, Texts.format(CONFIDENT),
                        expected)),
                "look at the rows the network is surest are mislabelled (descent predict gives each row's "
                        + "probabilities); a few wrong labels cap the accuracy any model can reach"));
    }
}
