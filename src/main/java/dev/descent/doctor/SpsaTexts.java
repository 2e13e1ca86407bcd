package dev.descent.doctor;

import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.gradcheck.SpsaCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the doctor says when a zeroth-order (spsa) run's loss rose and its gradient is right: the
 * step is too large for the estimate's variance, not for the gradient. Each step follows the slope
 * along n random directions, an estimate about √(d/n) times the gradient's length and at a
 * cosine of about √(n/d) to it; averaging more directions shrinks that variance n-fold, a smaller
 * rate shrinks the step. Both are tried from the same start before either is advised.
 */
final class SpsaTexts {
    private SpsaTexts() {}

    /** More directions a probe averages: the run's own times this. */
    static final int MORE_DIRECTIONS = 16;

    /**
     * @param rate       the probes of smaller rates
     * @param directions how the run at its own rate with {@code more} directions a step ended, in words
     * @param directionsWork whether that probe works, by the doctor's one rule for probes
     */
    static Finding stepTooLarge(Watcher w, int parameters, int n, LearningRateProbe rate, String directions,
            int more, LayerStats first, boolean directionsWork) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step: backprop and central differences agree, so "
                + "the loss and its gradient are right; spsa steps along an estimate of that gradient");
        evidence.add(String.format(Locale.ROOT, "each step follows the slope along %d random direction%s: over %,d "
                + "parameters the estimate is about %.3g times the gradient's length, at a cosine of about %.3g to it, "
                + "so the step is too large for the estimate's variance", n, n == 1 ? "" : "s", parameters,
                Math.sqrt((parameters + n + 1.0) / n), SpsaCheck.expectedCosine(n, parameters)));
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + rate.epochs + " epochs from the same start: " + rate.describe());
        evidence.add("with --directions " + more + " at the same rate (" + more + "x the forward passes, 1/" + (more / n)
                + " the variance): " + directions);
        String advice = "average more directions a step (--directions " + more + ") or take a smaller rate"
                + (rate.found.isPresent() ? " (--lr " + Texts.format(rate.found.getAsDouble()) + ")" : "")
                + "; more steps at a small rate are what zeroth-order training needs";
        if (directionsWork) { // fewer steps' worth of variance at the run's own rate: the change the user asked least of
            return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, Texts.riseTitle(w), evidence, advice,
                    List.of("--directions", Integer.toString(more)));
        }
        if (rate.found.isPresent()) {
            return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, Texts.riseTitle(w), evidence, advice, rate.fix());
        }
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, Texts.riseTitle(w), evidence, advice);
    }
}
