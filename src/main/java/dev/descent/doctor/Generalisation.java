package dev.descent.doctor;

import dev.descent.doctor.Finding.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rule of held-out rows (the user's validation split or test set, or the doctor's own): what
 * the finished run does on rows it did not train on. In order, the first of: labels unrelated to
 * the features (held-out accuracy at chance while the network, or a probe, fits the training rows,
 * and no probe does better than chance); a generalisation gap or a validation loss that turned up
 * (overfitting), with the fix that works in its probe; nothing learned (held-out accuracy at the
 * majority baseline and a loss at the class-frequency loss), told under the problem above that
 * explains it when there is one. And, with imbalanced classes, a class the network hardly
 * recognises, which takes the place of the imbalance note.
 */
final class Generalisation {
    /** A gap: training accuracy above held-out accuracy by more than this (and two standard errors) ... */
    static final double GAP_ACCURACY = 0.1;
    /** ... or the held-out loss above the training loss by more than this fraction of the class-frequency loss. */
    static final double GAP_LOSS = 0.25;
    /** A rise of the validation loss smaller than this fraction of the class-frequency loss does not count. */
    static final double RISE_MATTERS = 0.05;
    /** The network memorised when its training accuracy is above the majority baseline by more than this. */
    static final double MEMORISED = 0.1;
    /**
     * A probe that fits the training rows if anything does (Adam at lr 0.01 for this many epochs, or
     * the run's own if more, on standardised features when they are far off): evidence, never a fix,
     * of whether the labels follow from the features.
     */
    static final int MEMORISE_EPOCHS = 100;
    /** Weight decays probed against a gap. */
    static final List<String> WEIGHT_DECAYS = List.of("0.01", "0.1");

    /** Problems above that explain why nothing was learned on held-out rows. */
    static final Set<Kind> EXPLAIN_NOTHING = Set.of(Kind.LABEL_NOT_CLASSES, Kind.FEATURE_SCALE,
            Kind.EXPLODING_GRADIENTS, Kind.WRONG_GRADIENT, Kind.NON_REPEATABLE_FORWARD, Kind.WRONG_STEP,
            Kind.STEP_TOO_LARGE, Kind.STEP_TOO_SMALL, Kind.SLOW_PLATEAU, Kind.PLATEAU, Kind.VANISHING_GRADIENTS,
            Kind.SATURATED_UNITS, Kind.NOT_FINITE, Kind.DEAD_NETWORK);
    /** Problems above that explain a gap: the network can only memorise what they give it. */
    static final Set<Kind> EXPLAIN_GAP = Set.of(Kind.LABEL_NOT_CLASSES, Kind.ID_FEATURE);

    private Generalisation() {}

    static List<Finding> rule(Case c, List<Finding> earlier) {
        if (c.history.diverged() || c.judge.which.equals("training")) {
            return List.of();
        }
        Judge j = c.judge;
        Judge.Score held = c.heldScore(), trained = c.trainingScore();
        Finding recall = recall(c, earlier);
        String gap = gap(j, held, trained);
        HeldOutChecks.Rise rise = HeldOutChecks.rise(c.history, riseThatMatters(c));
        // the fixes of a gap are probed first: one that learns shows that the labels follow from the features
        Finding overfit = gap != null || rise != null ? overfitting(c, earlier, gap, rise) : null;
        String memory = j.atChance(held) ? memory(c, gap, trained) : null;
        List<Finding> out = new ArrayList<>();
        if (memory != null) {
            Finding cause = Rules.firstProblem(earlier, EXPLAIN_GAP);
            out.add(cause != null ? cause.withEvidence(memory)
                    : HeldOutTexts.labelsUnrelated(j, held, memory, c.probes.done().size(), absorbed(earlier)));
        } else if (overfit != null) {
            out.add(overfit);
        } else if (j.atBaseline(held) && (j.regression() || j.nearFrequencyLoss(held))) {
            String line = HeldOutTexts.nothingLearnedLine(j, held);
            Finding cause = Rules.firstProblem(earlier, EXPLAIN_NOTHING);
            if (recall != null) {
                recall = recall.withEvidence(line);
            } else {
                out.add(cause != null ? cause.withEvidence(line) : HeldOutTexts.nothingLearned(j, held, trained));
            }
        }
        if (recall != null) {
            out.add(recall);
        }
        return out;
    }

    /**
     * A rise of the validation loss that matters: {@link #RISE_MATTERS} of the class-frequency loss
     * per sample, in the history's units (summed over the validation rows under a summed loss).
     */
    private static double riseThatMatters(Case c) {
        double perSample = RISE_MATTERS * c.judge.frequencyLoss;
        return c.loss.reduction() == dev.descent.loss.Reduction.SUM && c.validation != null
                ? perSample * c.validation.size() : perSample;
    }

    /** The gap between training and held-out rows, in one line; null when there is none. */
    static String gap(Judge j, Judge.Score held, Judge.Score trained) {
        boolean byLoss = held.loss() - trained.loss() > GAP_LOSS * j.frequencyLoss;
        boolean byAccuracy = false;
        if (!j.regression()) {
            double p = held.accuracy(), se = Math.sqrt(p * (1 - p) / j.held.size());
            byAccuracy = trained.accuracy() - held.accuracy() > Math.max(GAP_ACCURACY, 2 * se);
        }
        return byLoss || byAccuracy ? HeldOutTexts.gapLine(j, held, trained) : null;
    }

    private static boolean memorised(Case c, Judge.Score trained) {
        return c.judge.regression() ? trained.loss() < (1 - MEMORISED) * c.judge.frequencyLoss
                : trained.accuracy() > c.balance.baseline() + MEMORISED;
    }

    /**
     * With held-out rows at chance: the evidence that the network can fit the training rows but
     * nothing it fits holds, in one line (the run's own gap, or a probe that fitted them), when no
     * probe of the doctor's did better than chance on held-out rows either; else null.
     */
    private static String memory(Case c, String gap, Judge.Score trained) {
        if (aboveChance(c)) {
            return null;
        }
        if (gap != null && memorised(c, trained)) {
            return gap;
        }
        if (c.judge.regression()) {
            return null;
        }
        List<String> flags = new ArrayList<>(c.unscaled() ? List.of("--standardize") : List.of());
        flags.addAll(List.of("--optimizer", "adam", "--lr", "0.01", "--epochs",
                Integer.toString(Math.max(MEMORISE_EPOCHS, c.recipe.epochs()))));
        Probes.Outcome fit = c.probes.with(flags);
        boolean fitted = !fit.diverged() && fit.history().last().accuracy() > c.balance.baseline() + MEMORISED;
        return fitted && !aboveChance(c) ? HeldOutTexts.fitted(c.probes, fit) : null;
    }

    /** Whether some probe of the doctor's did better than chance on the held-out rows: then the labels follow from something. */
    private static boolean aboveChance(Case c) {
        return c.probes.done().stream().anyMatch(o -> !o.diverged() && !c.probes.judge.atBaseline(o.score()));
    }

    /** The problems above that unrelated labels explain, in one line each. */
    private static List<String> absorbed(List<Finding> earlier) {
        Set<Kind> kinds = Rules.ABSORBS.get(Kind.LABELS_UNRELATED);
        return earlier.stream().filter(f -> kinds.contains(f.kind()) && f.severity() == Finding.Severity.PROBLEM)
                .map(Finding::title).toList();
    }

    /**
     * With imbalanced classes, a class recalled on fewer than half its held-out rows, with the
     * imbalance, and a plateau above (nothing learned: the majority class is all it predicts), told
     * under it.
     */
    private static Finding recall(Case c, List<Finding> earlier) {
        if (c.balance == null || c.balance.ratio() < DataChecks.IMBALANCE_RATIO) {
            return null;
        }
        Finding poor = HeldOutChecks.poorRecall(c.at(c.end), c.judge.held, c.judge.which, c.data.classNames(),
                !c.recipe.classWeights().none())
                .orElse(null);
        Finding imbalance = c.dataFindings.stream().filter(f -> f.kind() == Kind.CLASS_IMBALANCE).findFirst()
                .orElse(null);
        if (poor == null || imbalance == null) {
            return poor;
        }
        poor = poor.withEvidence(imbalance.title() + "; " + imbalance.evidence().get(0));
        Finding plateau = Rules.problem(earlier, Kind.PLATEAU);
        return plateau == null ? poor : poor.withEvidence(plateau.evidence().get(0));
    }

    /**
     * A gap or a validation loss that turned up: fewer epochs (or early stopping, with the user's own
     * validation split) and weight decay are probed, and the first that works is the fix.
     */
    private static Finding overfitting(Case c, List<Finding> earlier, String gap, HeldOutChecks.Rise rise) {
        List<String> evidence = new ArrayList<>();
        if (gap != null) {
            evidence.add(gap);
        }
        if (rise != null) {
            evidence.add(rise.line());
        }
        // A problem above with a fix that works changes how the run trains: the gap is told under it,
        // and judged again once it is fixed.
        Finding fixed = earlier.stream().filter(f -> f.severity() == Finding.Severity.PROBLEM && !f.fix().isEmpty()
                && EXPLAIN_NOTHING.contains(f.kind())).findFirst().orElse(null);
        if (fixed != null) {
            return fixed.withEvidence(evidence.toArray(String[]::new));
        }
        List<String> fix = List.of(), tried = new ArrayList<>();
        for (List<String> candidate : candidates(c)) {
            Probes.Outcome o = c.probes.with(candidate);
            tried.add(String.join(" ", candidate) + ": " + c.probes.brief(o));
            if (c.probes.works(o)) {
                fix = candidate;
                break;
            }
        }
        evidence.add("probes of " + c.probes.epochs + " epochs from the same start: " + c.probes.brief(
                c.probes.baseline()) + " as it is; " + String.join("; ", tried));
        Finding cause = Rules.firstProblem(earlier, EXPLAIN_GAP);
        if (cause != null) {
            return cause.withEvidence(evidence.toArray(String[]::new));
        }
        return HeldOutTexts.overfitting(rise != null ? Kind.OVERFITTING : Kind.GENERALISATION_GAP, evidence, fix,
                c.judge.which);
    }

    /**
     * What might close a gap, in the order tried: stopping at the best validation epoch (--patience
     * with the user's own validation split, --epochs with the doctor's held-out rows, which the
     * suggested command does not carry), then weight decay.
     */
    private static List<List<String>> candidates(Case c) {
        List<List<String>> out = new ArrayList<>();
        var rows = c.history.rows();
        if (rows.get(0).hasValidation()) {
            int best = HeldOutChecks.bestEpoch(rows);
            // fewer epochs than the warm-up is no command train takes
            if (c.heldOut != null && best > c.recipe.schedule().warmup() && best < rows.size() - 1) {
                out.add(List.of("--epochs", Integer.toString(best)));
            } else if (c.heldOut == null && HeldOutChecks.patience(rows) > 0 && best < rows.size() - 1) {
                out.add(List.of("--patience", Integer.toString(HeldOutChecks.patience(rows))));
            }
        }
        for (String lambda : WEIGHT_DECAYS) {
            out.add(List.of("--weight-decay", lambda));
        }
        return out;
    }
}
