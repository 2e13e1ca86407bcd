package dev.descent.doctor;

import java.util.List;

/**
 * One thing the doctor found: what, the evidence, and what to do about it.
 *
 * @param severity   whether it is a problem with the run or a fact worth knowing
 * @param title      one line
 * @param evidence   the numbers behind it, one line each
 * @param suggestion what to do, or empty
 * @param fix        the command-line options that apply the suggestion ({@code --standardize},
 *                   {@code --lr 0.01}), empty when it is not one a flag can make; a problem's fix is
 *                   only given when the doctor's own probe showed it to help
 */
public record Finding(Severity severity, Kind kind, String title, List<String> evidence, String suggestion,
        List<String> fix) {
    public Finding {
        evidence = List.copyOf(evidence);
        fix = List.copyOf(fix);
    }

    /** A finding whose suggestion no flag can apply. */
    public Finding(Severity severity, Kind kind, String title, List<String> evidence, String suggestion) {
        this(severity, kind, title, evidence, suggestion, List.of());
    }

    /** This finding with another severity (a probe can make a note a problem, or the other way). */
    Finding as(Severity s) {
        return new Finding(s, kind, title, evidence, suggestion, fix);
    }

    /**
     * This finding with more evidence: a finding that it explains (one cause, one problem), told
     * under it instead of as a problem of its own.
     */
    Finding withEvidence(String... lines) {
        List<String> more = new java.util.ArrayList<>(evidence);
        more.addAll(List.of(lines));
        return new Finding(severity, kind, title, more, suggestion, fix);
    }

    public enum Severity {
        /** Training went wrong; the doctor exits 1. */
        PROBLEM,
        /** Nothing wrong. */
        HEALTHY,
        /** Worth knowing; not a fault of the run. */
        NOTE
    }

    /** What kind of finding it is, for programs that act on it. */
    public enum Kind {
        // before training: the data and the starting point
        FEATURE_SCALE, CONSTANT_FEATURES, LABEL_NOT_CLASSES, ID_FEATURE, CLASS_IMBALANCE, TEST_LEAKAGE,
        CONTRADICTORY_DATA, LOSS_AT_INIT,
        // during training
        WRONG_GRADIENT, NON_REPEATABLE_FORWARD, WRONG_STEP, STEP_TOO_LARGE, STEP_TOO_SMALL, SLOW_PLATEAU, PLATEAU,
        VANISHING_GRADIENTS, EXPLODING_GRADIENTS, SATURATED_UNITS, NOT_FINITE, DEAD_NETWORK, DEAD_UNITS,
        // on held-out rows (the user's, or the doctor's own)
        OVERFITTING, GENERALISATION_GAP, LABELS_UNRELATED, NO_BETTER_THAN_BASELINE, POOR_RECALL, LABEL_NOISE,
        HEALTHY
    }
}
