package dev.descent.doctor;

import dev.descent.doctor.Diagnosis.NotFinite;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradcheck.NonRepeatable;
import dev.descent.train.History;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the doctor says about the gradients and the steps, apart from the rules that decide to say
 * it ({@link Rules}): each finding's title, evidence and advice, from the numbers a rule found.
 * The data's findings are {@link DataChecks}'; the units', the loss's and the held-out data's are
 * {@link OutcomeTexts}.
 */
final class Texts {
    private Texts() {}

    // ---- wrong gradients ------------------------------------------------------------------------

    static Finding wrongGradientAtStart(String step, int samples, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check of " + step + " at the starting parameters, on the first " + samples
                + " sample" + (samples == 1 ? "" : "s") + ":");
        evidence.addAll(checkLines(check));
        return new Finding(Severity.PROBLEM, Kind.WRONG_GRADIENT,
                "the gradients the run descends along are wrong, before any step is taken",
                evidence, "fix " + culprit(check) + "; a smaller learning rate will not help");
    }

    static Finding wrongGradient(Watcher w, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step:");
        evidence.addAll(checkLines(check));
        return new Finding(Severity.PROBLEM, Kind.WRONG_GRADIENT, riseTitle(w) + " because the gradients are wrong",
                evidence, "fix " + culprit(check) + "; a smaller learning rate will not help");
    }

    /**
     * What to fix: the layer whose input gradient lets the error in, when the check found one; else
     * the backward pass that feeds the failing tensors.
     */
    private static String culprit(GradientCheckReport check) {
        if (check.blame() != null) {
            return "the input gradient (dx) that " + check.blame().where() + "'s backward returns: "
                    + String.join(", ", check.blame().through()) + " below it fail through it";
        }
        return "the backward pass that feeds " + failing(check);
    }

    /** A check failed because the forward pass is not repeatable: named as that, not as a wrong gradient. */
    static Finding nonRepeatable(NonRepeatable n, String where, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "two forward passes %s, at the same parameters, gave the losses %.10g "
                + "and %.10g; the first output to differ is %s's", where, n.firstLoss(), n.secondLoss(), n.where()));
        evidence.add("every central difference then measures the noise between two passes, not the slope, so the "
                + "gradient check's disagreement (" + failing(check) + ") says nothing about the backward pass");
        return new Finding(Severity.PROBLEM, Kind.NON_REPEATABLE_FORWARD,
                "the forward pass is not repeatable: " + n.where() + " gives different outputs for the same input",
                evidence, "make " + n.where() + " draw its random numbers from a seed it is given (as --dropout's "
                        + "masks are, which a check holds fixed), or switch them off while checking; then check its "
                        + "backward again");
    }

    private static String failing(GradientCheckReport check) {
        return String.join(", ", check.failures().stream().map(t -> t.name()).toList());
    }

    private static List<String> checkLines(GradientCheckReport check) {
        List<String> lines = new ArrayList<>(Arrays.asList(check.summary().split("\n")));
        if (check.kinks() > 0) {
            lines.add(check.kinkNote());
        }
        return lines;
    }

    // ---- the loss rising ----------------------------------------------------------------------

    static String riseTitle(Watcher w) {
        return w.miniBatches
                ? String.format(Locale.ROOT, "the loss rose and stayed up (epoch %d: %.6g, from its lowest so far "
                        + "%.6g)", w.riseEpoch, w.riseTo, w.riseFrom)
                : String.format(Locale.ROOT, "the loss rose across a step of descent (epoch %d: %.6g -> %.6g)",
                        w.riseEpoch, w.riseFrom, w.riseTo);
    }

    /** The evidence that a rise was not the gradient's fault. */
    static final String RIGHT_GRADIENT = "the gradient check at the parameters before that step passed, so the "
            + "gradient is right and the step was too large";

    /**
     * The gradient is right and the step too large: a smaller rate (beside --standardize, when only
     * both together work) is the fix when one works in its probe; when none does and the run as it
     * is learned all the same, a note that it recovered; else a problem with no fix, saying so.
     */
    static Finding stepTooLarge(Watcher w, LearningRateProbe probe, LayerStats first, boolean asIsWorks,
            GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step: backprop and central differences agree, "
                + "so the gradient is right and the step is too large");
        if (check.kinks() > 0) {
            evidence.add(check.kinkNote());
        }
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + probe.epochs + " epochs from the same start" + beside(probe) + ": "
                + probe.describe());
        if (probe.found.isPresent()) {
            return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w), evidence, probe.suggestion(),
                    probe.fix());
        }
        if (asIsWorks) {
            return new Finding(Severity.NOTE, Kind.STEP_TOO_LARGE, riseTitle(w) + ", then recovered", evidence,
                    "no change needed: the run as it is learned, and no smaller learning rate did clearly better");
        }
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w), evidence, probe.suggestion()
                + "; the learning rate is not the only fault: see the findings on the data and the network");
    }

    private static String beside(LearningRateProbe probe) {
        return probe.beside.isEmpty() ? "" : ", with " + String.join(" ", probe.beside);
    }

    /** The gradients explode, and the features' scale explains it: a line under that problem. */
    static String explodingFromScale(List<String> exploding, double perSample) {
        return "the gradients explode at the start, |dW|/|W| " + (perSample > 1 ? "per sample " : "") + "above "
                + format(LayerStats.EXPLODING) + ": " + String.join(", ", exploding) + "; with the features "
                + "standardised they do not: a consequence of the inputs' scale, not of the initialisation";
    }

    /**
     * @param byInit    the suited initialisation's probe, described, or null when the run has it or its
     *                  parameters are given
     * @param initFlags that probe's flags
     * @param given     whether the parameters are given (a model file), so no initialisation is drawn
     */
    static Finding explodingGradients(LayerStats first, List<String> exploding, double perSample, String byInit,
            String asIs, List<String> initFlags, boolean helps, boolean given) {
        List<String> evidence = new ArrayList<>();
        evidence.add("|dW|/|W| " + (perSample > 1 ? "per sample " : "") + "above " + format(LayerStats.EXPLODING)
                + " at the start: " + String.join(", ", exploding) + " (a healthy start is about 1e-2 to 10)");
        evidence.add(first.describeGradients());
        evidence.add(first.describeUpdates());
        String title = "the gradients explode: far larger than the weights they update";
        if (byInit == null) {
            return new Finding(Severity.PROBLEM, Kind.EXPLODING_GRADIENTS, title, evidence, given
                    ? "the given starting weights are too large for the network's depth and width: draw them with a "
                            + "scaled initialisation (he with relu, xavier with sigmoid or tanh), or use fewer layers"
                    : "the run already starts from the initialisation suited to its activations: use fewer or "
                            + "narrower layers, or inputs near mean 0 and sd 1; a smaller learning rate only hides it");
        }
        String label = String.join(" ", initFlags);
        evidence.add("probe from the same seed: with " + label + " " + byInit + "; as it is " + asIs);
        String what = "the starting weights are too large for the network's depth and width: ";
        return new Finding(Severity.PROBLEM, Kind.EXPLODING_GRADIENTS, title, evidence, helps
                ? what + "start from " + label
                : what + "use fewer layers (" + label + " did not make the run learn in the probe)",
                helps ? initFlags : List.of());
    }

    // ---- the step itself ------------------------------------------------------------------------

    /** A step of the user's own that is not θ − lr·g at one θ: updates made while measuring, or another step. */
    static Finding wrongStep(StepCheck s, double lr, History h) {
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "one step from the starting parameters on the first %d samples, "
                + "against plain SGD's θ − lr·g (lr %s) with every entry of g measured at that same θ: off by %.3g of "
                + "the step", s.samples(), format(lr), s.error()));
        evidence.add(String.format(Locale.ROOT, "%s: the step moved it by %.6g where θ − lr·g moves it by %.6g",
                s.firstOff(), s.actual(), s.expected()));
        evidence.add(over(h) + (h.last().loss() < h.first().loss() ? ": the loss falls all the same, which is why "
                + "only the step shows it" : ""));
        if (s.moved() != null) {
            evidence.add(1, "the step's gradient source itself moved the parameters while it measured (first "
                    + s.moved() + "), where computeGradients must leave θ as it was: each later partial derivative "
                    + "was measured at a θ the earlier updates had already moved");
        } else if (s.inPlace()) {
            evidence.add(1, s.matched() + " entr" + (s.matched() == 1 ? "y" : "ies") + " with a non-zero step "
                    + "matched it before " + s.firstOff() + ": the first updates are right, and each later partial "
                    + "derivative was measured at a θ the earlier updates had already moved");
        }
        if (s.inPlace()) {
            return new Finding(Severity.PROBLEM, Kind.WRONG_STEP,
                    "the step updates parameters while the gradient is still being measured", evidence,
                    "measure every partial derivative at the same θ (the gradient check of your source passes "
                            + "because it does), then update all the parameters at once: the optimizer's step after "
                            + "computeGradients, as TrainingStep.of(source) does");
        }
        return new Finding(Severity.PROBLEM, Kind.WRONG_STEP, "the step does not move the parameters by −lr·g",
                evidence, "make the step the gradient at one θ, then the optimizer's update of every parameter "
                        + "(TrainingStep.of(source) does exactly that)");
    }

        // ---- a loss that does not move ------------------------------------------------------------

    static Finding stepTooSmall(History h, LearningRateProbe up, LayerStats first, Probes probes) {
        List<String> evidence = new ArrayList<>();
        evidence.add(over(h));
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + up.epochs + " epochs from the same start" + beside(up) + ": "
                + String.join("; ", up.outcomes));
        String lr = format(up.found.getAsDouble());
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_SMALL, "the steps are too small: the loss barely moves",
                evidence, up.suggestion() + ": with --lr " + lr + " " + probes.describe(up.best), up.fix());
    }

    /**
     * A slow plateau: the loss near the class-frequency loss after many epochs, while a larger rate
     * (or, when {@code momentum} is given, momentum) works in its probe.
     */
    static Finding slowPlateau(History h, Judge judge, LearningRateProbe up, Probes.Outcome momentum, Probes probes) {
        List<String> evidence = new ArrayList<>();
        evidence.add(over(h) + String.format(Locale.ROOT, ", within %.0f%% of the loss of predicting the class "
                + "frequencies", 100 * (1 - Stuck.SLOW_PLATEAU_LEVEL)));
        evidence.add("larger learning rates, probed for " + up.epochs + " epochs from the same start" + beside(up)
                + ": " + String.join("; ", up.outcomes));
        String title = "a slow plateau: after " + h.last().epoch() + " epochs the loss is still near the level of a "
                + "network that ignores its input";
        if (momentum == null) {
            return new Finding(Severity.PROBLEM, Kind.SLOW_PLATEAU, title, evidence, up.suggestion() + ": "
                    + probes.describe(up.best), up.fix());
        }
        evidence.add("with momentum instead: " + probes.describe(momentum));
        return new Finding(Severity.PROBLEM, Kind.SLOW_PLATEAU, title, evidence, "use momentum (--optimizer "
                + "momentum), which carries the steps across the plateau", momentum.flags());
    }

    /** The plateau explained by gradients that vanish through depth: one problem, the plateau as its evidence. */
    static Finding vanishingGradients(LayerStats first, List<String> plateau, List<String> saturated) {
        List<String> evidence = new ArrayList<>(plateau);
        evidence.add(first.describeGradients());
        evidence.add(String.format(Locale.ROOT, "the first layer's is %.2g of the last layer's (below %s vanishes)",
                first.firstOverLast(), format(LayerStats.VANISHING_RATIO)));
        evidence.addAll(saturated);
        return new Finding(Severity.PROBLEM, Kind.VANISHING_GRADIENTS,
                "nothing learned: the gradients vanish on their way back to the first layers", evidence,
                "use fewer layers, or relu with --init he, whose gradients keep their size through depth");
    }

    /** The plateau explained by saturated units: one problem, the plateau as its evidence. */
    static Finding saturatedUnits(List<String> saturated, List<String> plateau) {
        List<String> evidence = new ArrayList<>(plateau);
        evidence.addAll(saturated);
        return new Finding(Severity.PROBLEM, Kind.SATURATED_UNITS, "nothing learned: sigmoid or tanh units are "
                + "saturated", evidence, "a saturated unit passes almost no gradient: standardise the features "
                        + "(--standardize), use a smaller initialisation (xavier), or relu");
    }

    static Finding plateau(List<String> evidence, String suggestion) {
        return new Finding(Severity.PROBLEM, Kind.PLATEAU,
                "nothing learned: the loss is stuck at the level of a network that ignores its input", evidence,
                suggestion);
    }

    /** Nothing learned, and the initialisation suited to the activations works in its probe: the fix. */
    static Finding plateauFromInit(Finding plateau, String byInit, List<String> initFlags) {
        String label = String.join(" ", initFlags);
        List<String> evidence = new ArrayList<>(plateau.evidence());
        evidence.add("probe from the same seed with " + label + ": " + byInit);
        return new Finding(Severity.PROBLEM, plateau.kind(), plateau.title(), evidence, "start from the "
                + "initialisation suited to the activations (" + label + "): from these starting weights nothing "
                + "is learned", initFlags);
    }

    /** {@code over 10 epochs the loss went from 2.3 to 0.4, training accuracy 93.0%}. */
    static String over(History h) {
        return String.format(Locale.ROOT, "over %d epochs the loss went from %.6g to %.6g%s", h.last().epoch(),
                h.first().loss(), h.last().loss(), accuracy(", training accuracy", h.last()));
    }

    // ---- NaN and infinity ---------------------------------------------------------------------

    static Finding notFinite(NotFinite nf, boolean afterRise) {
        String when = nf.epoch() == 0 ? "at the starting parameters" : "at epoch " + nf.epoch() + ", step " + nf.step();
        return new Finding(Severity.PROBLEM, Kind.NOT_FINITE,
                "NaN or infinity appeared " + when + ", in the " + nf.stage() + ": " + nf.where(),
                List.of("training stopped there; nothing after it would mean anything"),
                afterRise ? "the loss rose before that: see the learning rate above"
                        : nf.epoch() == 0 ? "check the data and the starting parameters for NaN or infinity"
                        : "check " + nf.where() + " for an operation that can overflow or take an invalid input");
    }

    // ---- numbers as people read them ----------------------------------------------------------

    /** {@code ", training accuracy 93.0%"}, or nothing where there is no accuracy (regression). */
    static String accuracy(String label, History.Row row) {
        return Double.isNaN(row.accuracy()) ? "" : String.format(Locale.ROOT, "%s %.1f%%", label, 100 * row.accuracy());
    }

    /** A number as a user would type it, in its shortest exact form: 0.05, 0.048828125. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
