package dev.descent.doctor;

import java.util.List;

/**
 * One thing the doctor found: what, the evidence, and what to do about it.
 *
 * @param severity   whether it is a problem with the run or a fact worth knowing
 * @param title      one line
 * @param evidence   the numbers behind it, one line each
 * @param suggestion what to do, or empty
 */
public record Finding(Severity severity, Kind kind, String title, List<String> evidence, String suggestion) {
    public Finding {
        evidence = List.copyOf(evidence);
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
        WRONG_GRADIENT, STEP_TOO_LARGE, NOT_FINITE, DEAD_NETWORK, DEAD_UNITS, CONTRADICTORY_DATA, HEALTHY
    }
}
