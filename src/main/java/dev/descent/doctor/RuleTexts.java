package dev.descent.doctor;

import static dev.descent.doctor.Texts.format;

import dev.descent.doctor.Finding.Kind;
import java.util.EnumMap;
import java.util.Map;

/**
 * Each kind of finding's rule, with its threshold, in one line: what {@code --json} gives beside
 * every finding, built from the constants the rules use (docs/diagnostics.md says the same at
 * length), so that a script can tell what fired and at what level.
 */
final class RuleTexts {
    private RuleTexts() {}

    private static final String WORKS = "a fix is suggested only when its probe works: it ends clearly better on "
            + "held-out rows than the run as it is (a loss at most " + format(Probes.BETTER_LOSS) + " of its and lower "
            + "by more than " + format(Probes.MATTERS) + " of the class-frequency loss, at no more than "
            + pct(Probes.BETTER_ACCURACY) + " points less accuracy; or " + pct(Probes.BETTER_ACCURACY) + " points "
            + "more accuracy at no higher loss), above the majority baseline and below "
            + format(Doctor.IGNORING_INPUT) + " of the class-frequency loss, with no layer dead";

    private static final Map<Kind, String> RULES = new EnumMap<>(Kind.class);

    static {
        RULES.put(Kind.FEATURE_SCALE, "some feature has |mean| or sd above " + format(DataChecks.SCALE_LIMIT)
                + "; a problem when the --standardize probe works, a note otherwise");
        RULES.put(Kind.CONSTANT_FEATURES, "a feature with sd 0 over the training data");
        RULES.put(Kind.LABEL_NOT_CLASSES, "at least " + DataChecks.MIN_ROWS + " rows and classes at least "
                + format(DataChecks.CLASSES_PER_ROW_LIMIT) + " x rows, or more than " + DataChecks.MANY_CLASSES
                + " numeric classes (with fractions, or fewer than " + format(DataChecks.ROWS_PER_CLASS_LIMIT)
                + " rows each)");
        RULES.put(Kind.ID_FEATURE, "at least " + DataChecks.MIN_ROWS + " rows and a feature rising strictly from "
                + "row to row");
        RULES.put(Kind.CLASS_IMBALANCE, "the largest class has at least " + format(DataChecks.IMBALANCE_RATIO)
                + " times the rows of the smallest");
        RULES.put(Kind.TEST_LEAKAGE, "test rows identical to training rows: a problem at "
                + pct(DataChecks.LEAKAGE_FRACTION) + "% of the test set or more");
        RULES.put(Kind.CONTRADICTORY_DATA, "identical inputs with different labels (sets up to "
                + Case.CONTRADICTION_LIMIT + " rows)");
        RULES.put(Kind.LOSS_AT_INIT, "the mean loss per sample at the start above 2 ln k + "
                + format(Doctor.INIT_LOSS_MARGIN));
        RULES.put(Kind.WRONG_GRADIENT, "the run's gradients against central differences: an entry fails when |a - n| "
                + "> min(atol, rtol max|n|) + rtol |n|, a tensor when one does or its cosine is below 0.99");
        RULES.put(Kind.NON_REPEATABLE_FORWARD, "two forward passes at the same parameters differ by more than 1e-12 "
                + "relative");
        RULES.put(Kind.WRONG_STEP, "a user's own step with plain SGD, one step from the start, off θ - lr g (g at one "
                + "θ) by more than " + format(StepCheck.WRONG) + " of the step");
        RULES.put(Kind.STEP_TOO_LARGE, "an epoch's loss above the lowest so far by more than "
                + pct(Watcher.RISE_RELATIVE) + "% of it plus " + pct(Watcher.RISE_OF_PROGRESS) + "% of the fall "
                + "(mini-batches: two epochs in a row), with the gradients right; " + WORKS);
        RULES.put(Kind.STEP_TOO_SMALL, "learned nothing (training accuracy within " + pct(Doctor.BASELINE_MARGIN)
                + " point of the majority baseline at a loss of at least " + format(Doctor.IGNORING_INPUT)
                + " of the class-frequency loss) or fell less than " + pct(Doctor.BARELY_MOVED) + "% of the way, "
                + "and a larger rate works; " + WORKS);
        RULES.put(Kind.SLOW_PLATEAU, "after at least " + Stuck.SLOW_PLATEAU_EPOCHS + " epochs a training loss of "
                + "at least " + format(Stuck.SLOW_PLATEAU_LEVEL) + " of the class-frequency loss, and a larger rate or "
                + "momentum works; " + WORKS);
        RULES.put(Kind.PLATEAU, "learned nothing, and no larger rate works");
        RULES.put(Kind.VANISHING_GRADIENTS, "learned nothing, and the first weight tensor's |dW|/|W| below "
                + format(LayerStats.VANISHING_RATIO) + " of the last one's");
        RULES.put(Kind.EXPLODING_GRADIENTS, "a weight tensor's |dW|/|W| at the start (per sample under a summed "
                + "loss) above " + format(LayerStats.EXPLODING) + "; under unscaled inputs that --standardize fixes, "
                + "evidence of the scale instead");
        RULES.put(Kind.SATURATED_UNITS, "learned nothing, and a sigmoid or tanh layer with half its units within "
                + format(LayerStats.SATURATION) + " of their limits on " + pct(LayerStats.SATURATED_SAMPLES)
                + "% of the samples");
        RULES.put(Kind.NOT_FINITE, "the first epoch whose loss is not finite, replayed stage by stage");
        RULES.put(Kind.DEAD_NETWORK, "a ReLU layer with no unit active on any watched sample after training; " + WORKS);
        RULES.put(Kind.DEAD_UNITS, "ReLU units inactive on every watched sample after training");
        RULES.put(Kind.OVERFITTING, "the last validation loss above the lowest by more than "
                + pct(HeldOutChecks.OVERFIT_RISE) + "% while the training loss fell; " + WORKS);
        RULES.put(Kind.GENERALISATION_GAP, "training accuracy above held-out accuracy by more than "
                + pct(Generalisation.GAP_ACCURACY) + " points (and two standard errors), or held-out loss above "
                + "training loss by more than " + format(Generalisation.GAP_LOSS) + " of the class-frequency loss; "
                + WORKS);
        RULES.put(Kind.LABELS_UNRELATED, "a generalisation gap, training accuracy more than "
                + pct(Generalisation.MEMORISED) + " points above the majority baseline, and held-out accuracy at it");
        RULES.put(Kind.NO_BETTER_THAN_BASELINE, "held-out accuracy within max(" + pct(Judge.BASELINE_MARGIN)
                + " point, two standard errors) of the majority baseline and a loss of at least "
                + format(Doctor.IGNORING_INPUT) + " of the class-frequency loss, with no problem above to explain it");
        RULES.put(Kind.POOR_RECALL, "classes imbalanced and a class recalled on fewer than "
                + pct(HeldOutChecks.POOR_RECALL) + "% of its held-out rows");
        RULES.put(Kind.LABEL_NOISE, "training rows given another class with probability at least "
                + format(LabelNoise.CONFIDENT) + ": at least " + LabelNoise.MIN_ROWS + " and "
                + pct(LabelNoise.MIN_FRACTION) + "% of the rows, more than " + format(LabelNoise.SIGMAS)
                + " standard deviations above the sum of 1 - p over them");
        RULES.put(Kind.HEALTHY, "no problem found");
    }

    /** The rule of {@code kind}, with its threshold. */
    static String of(Kind kind) {
        return RULES.get(kind);
    }

    /** A fraction as percent, rounded where binary fractions leave a tail (0.05 -> 5, not 5.000000000000001). */
    private static String pct(double fraction) {
        return format(Math.rint(fraction * 1e5) / 1e3);
    }
}
