package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.data.Standardization;
import dev.descent.loss.Loss;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.train.Evaluation;
import java.util.Locale;

/**
 * What a run must beat on held-out rows, and the one rule by which the doctor judges its run and
 * every probe, by where they end: a network that ignores its input can reach the majority class's
 * accuracy and the loss of predicting the class frequencies (their entropy, which is ln k only
 * for balanced classes); for regression, the loss of predicting the training targets' mean
 * (R² = 0). A network has learned when it is clearly better than both: accuracy above the
 * majority baseline by more than {@link #margin()}, and a loss below {@link Doctor#IGNORING_INPUT}
 * of the class-frequency loss. Losses here are per sample, whatever the run's reduction.
 */
final class Judge {
    /** Held-out accuracy within this (or two standard errors, if more) of the majority baseline is at it. */
    static final double BASELINE_MARGIN = 0.01;

    /** A network's loss per sample and accuracy (NaN for regression) on the judged rows. */
    record Score(double loss, double accuracy) {}

    final Dataset held;
    /** {@code held-out}, {@code validation}, {@code test}, or {@code training} when there are no held-out rows. */
    final String which;
    private final Loss loss;
    /** The class the training rows have most of (-1 for regression). */
    final int majority;
    /** The accuracy of always predicting it, on the judged rows. */
    final double majorityAccuracy;
    /** The loss per sample of the best prediction that ignores the input: the class frequencies, or the mean. */
    final double frequencyLoss;

    private Judge(Dataset held, String which, Loss loss, int majority, double majorityAccuracy, double frequencyLoss) {
        this.held = held;
        this.which = which;
        this.loss = loss;
        this.majority = majority;
        this.majorityAccuracy = majorityAccuracy;
        this.frequencyLoss = frequencyLoss;
    }

    /**
     * @param held     the rows to judge on
     * @param loss     the run's loss on their targets
     * @param training the rows the run trains on: their majority class, or their targets' mean
     */
    static Judge of(Dataset held, String which, Loss loss, Dataset training) {
        if (held.isRegression()) {
            double mean = HeldOutChecks.constantLoss(loss, held, DeadUnits.meanTargets(training));
            return new Judge(held, which, loss, -1, Double.NaN, perSample(mean, loss, held.size()));
        }
        int majority = ClassBalance.of(training).majority();
        int hits = 0;
        for (int label : held.labels()) {
            hits += label == majority ? 1 : 0;
        }
        return new Judge(held, which, loss, majority, (double) hits / held.size(),
                ClassBalance.of(held).ignoringInputLoss(Reduction.MEAN));
    }

    /** The same judge over the held rows standardised by {@code s}, as a probe with --standardize sees them. */
    Judge standardized(Standardization s) {
        return new Judge(held.standardized(s).inMemory(), which, loss, majority, majorityAccuracy, frequencyLoss);
    }

    boolean regression() {
        return majority < 0;
    }

    Score score(Network network) {
        Evaluation e = Evaluation.of(network, loss, held);
        return new Score(perSample(e.loss(), loss, held.size()), regression() ? Double.NaN : e.accuracy());
    }

    private static double perSample(double l, Loss loss, int n) {
        return loss.reduction() == Reduction.SUM ? l / n : l;
    }

    /** Two standard errors of the majority baseline on these rows, at least {@link #BASELINE_MARGIN}. */
    double margin() {
        double p = majorityAccuracy;
        return Math.max(BASELINE_MARGIN, 2 * Math.sqrt(p * (1 - p) / held.size()));
    }

    /** Accuracy no better than always predicting the majority class (for regression: a loss at the mean's). */
    boolean atBaseline(Score s) {
        return regression() ? !(s.loss() < (1 - BASELINE_MARGIN) * frequencyLoss)
                : !(s.accuracy() > majorityAccuracy + margin());
    }

    /**
     * At chance, by the figure itself and not only within its standard errors: accuracy within
     * {@link #BASELINE_MARGIN} of the majority baseline (for regression, {@link #atBaseline}). A
     * claim as strong as "the labels do not follow from the features" needs it.
     */
    boolean atChance(Score s) {
        return regression() ? atBaseline(s) : !(s.accuracy() > majorityAccuracy + BASELINE_MARGIN);
    }

    /** A loss at the level of a network that ignores its input: at least {@link Doctor#IGNORING_INPUT} of it. */
    boolean nearFrequencyLoss(Score s) {
        return !(s.loss() < Doctor.IGNORING_INPUT * frequencyLoss);
    }

    /** Clearly better than a network that ignores its input, by accuracy and by loss. */
    boolean learned(Score s) {
        return Double.isFinite(s.loss()) && !atBaseline(s) && !nearFrequencyLoss(s);
    }

    /** {@code held-out accuracy 71.4%, loss 1.019 per sample} ({@code held-out loss 0.3 per sample} for regression). */
    String describe(Score s) {
        if (!Double.isFinite(s.loss())) {
            return which + " loss not finite";
        }
        return regression() ? String.format(Locale.ROOT, "%s loss %.4g per sample", which, s.loss())
                : String.format(Locale.ROOT, "%s accuracy %.1f%%, loss %.4g per sample", which, 100 * s.accuracy(),
                        s.loss());
    }

    /** What a network that ignores its input gets on these rows. */
    String baselines() {
        if (regression()) {
            return String.format(Locale.ROOT, "predicting the training targets' mean gives a loss of %.4g per sample "
                    + "(R² = 0)", frequencyLoss);
        }
        return String.format(Locale.ROOT, "always predicting '%s' gets %.1f%%, predicting the class frequencies a "
                + "loss of %.4g per sample", held.classNames().get(majority), 100 * majorityAccuracy, frequencyLoss);
    }
}
