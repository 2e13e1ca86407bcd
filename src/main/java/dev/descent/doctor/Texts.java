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

    /**
     * The gradient is right and the step too large: a smaller rate is the fix when the probes found
     * one clearly better than the run's own ({@code worth}); otherwise a note that it recovered.
     */
    static Finding stepTooLarge(Watcher w, LearningRateProbe probe, LayerStats first, boolean worth,
            Probes.Outcome against, GradientCheckReport check) {
        List<String> evidence = new ArrayList<>();
        evidence.add("gradient check at the parameters before that step: backprop and central differences agree, "
                + "so the gradient is right and the step is too large");
        if (check.kinks() > 0) {
            evidence.add(check.kinkNote());
        }
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + probe.epochs + " epochs from the same start: " + probe.describe());
        if (worth) {
            return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w), evidence, probe.suggestion(),
                    List.of("--lr", format(probe.found.getAsDouble())));
        }
        if (probe.best == null) {
            return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w), evidence, probe.suggestion());
        }
        evidence.add("but this rate, " + against.describe() + ", ends lower than lr "
                + format(probe.found.getAsDouble()) + ": " + probe.best.describe());
        return new Finding(Severity.NOTE, Kind.STEP_TOO_LARGE, riseTitle(w) + ", then recovered", evidence,
                "no change needed: a smaller learning rate did no better in the probes");
    }

    static Finding stepTooLargeFromScale(Watcher w, Probes.Outcome standardized) {
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w),
                List.of("gradient check at the parameters before that step: backprop and central differences agree",
                        "the features are far from mean 0 and sd 1 (see above): a step that suits one feature is far "
                                + "too large for another",
                        "probe from the same start at the same learning rate: with --standardize "
                                + standardized.describe()),
                "standardise the features (--standardize) rather than lowering the learning rate",
                List.of("--standardize"));
    }

    static Finding stepTooLargeFromInit(Watcher w, Probes.Outcome byInit) {
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_LARGE, riseTitle(w),
                List.of("gradient check at the parameters before that step: backprop and central differences agree",
                        "the gradients explode from the starting weights (see above): a step that suits one layer is "
                                + "far too large for another",
                        "probe from the same seed at the same learning rate: with " + byInit.label() + " "
                                + byInit.describe()),
                "start from a scaled initialisation (" + byInit.label() + ") rather than lowering the learning rate",
                List.of("--init", initName(byInit)));
    }

    /** The initialisation a probe labelled {@code --init he} tried: {@code he}. */
    static String initName(Probes.Outcome byInit) {
        return byInit.label().substring("--init ".length());
    }

    static Finding explodingGradients(LayerStats first, List<String> exploding, double perSample,
            Probes.Outcome byInit, Probes.Outcome baseline, boolean helps) {
        List<String> evidence = new ArrayList<>();
        evidence.add("|dW|/|W| " + (perSample > 1 ? "per sample " : "") + "above " + format(LayerStats.EXPLODING)
                + " at the start: " + String.join(", ", exploding) + " (a healthy start is about 1e-2 to 10)");
        evidence.add(first.describeGradients());
        evidence.add(first.describeUpdates());
        String title = "the gradients explode: far larger than the weights they update";
        String what = "the starting weights are too large for the network's depth and width: ";
        if (byInit == null) {
            return new Finding(Severity.PROBLEM, Kind.EXPLODING_GRADIENTS, title, evidence, what + "start from a "
                    + "scaled initialisation (he with relu, xavier with sigmoid or tanh), or use fewer layers; a "
                    + "smaller learning rate only hides it");
        }
        evidence.add("probe from the same seed: with " + byInit.label() + " " + byInit.describe() + "; as it is "
                + baseline.describe());
        return new Finding(Severity.PROBLEM, Kind.EXPLODING_GRADIENTS, title, evidence, helps
                ? what + "start from " + byInit.label()
                : what + "use fewer layers (" + byInit.label() + " did no better in the probe)",
                helps ? List.of("--init", initName(byInit)) : List.of());
    }

    // ---- a loss that does not move ------------------------------------------------------------

    static Finding stepTooSmall(History h, LearningRateProbe up, LayerStats first) {
        List<String> evidence = new ArrayList<>();
        evidence.add(String.format(Locale.ROOT, "over %d epochs the loss went from %.6g to %.6g%s", h.last().epoch(),
                h.first().loss(), h.last().loss(), accuracy(", training accuracy", h.last())));
        evidence.add(first.describeUpdates());
        evidence.add("probes of " + up.epochs + " epochs from the same start, loss (training accuracy): "
                + String.join(", ", up.outcomes));
        String lr = format(up.found.getAsDouble());
        return new Finding(Severity.PROBLEM, Kind.STEP_TOO_SMALL, "the steps are too small: the loss barely moves",
                evidence, "use a learning rate of " + lr + ": with --lr " + lr + " " + up.best.describe(),
                List.of("--lr", lr));
    }

    static Finding vanishingGradients(LayerStats first) {
        return new Finding(Severity.PROBLEM, Kind.VANISHING_GRADIENTS,
                "the gradients vanish on their way back to the first layers",
                List.of(first.describeGradients(), String.format(Locale.ROOT, "the first layer's is %.2g of the "
                        + "last layer's (below %s vanishes)", first.firstOverLast(), format(LayerStats.VANISHING_RATIO))),
                "use fewer layers, or relu with --init he, whose gradients keep their size through depth");
    }

    static Finding saturatedUnits(List<String> saturated) {
        return new Finding(Severity.PROBLEM, Kind.SATURATED_UNITS, "sigmoid or tanh units are saturated", saturated,
                "a saturated unit passes almost no gradient: standardise the features (--standardize), use a smaller "
                        + "initialisation (xavier), or relu");
    }

    static Finding plateau(List<String> evidence, String suggestion) {
        return new Finding(Severity.PROBLEM, Kind.PLATEAU,
                "nothing learned: the loss is stuck at the level of a network that ignores its input", evidence,
                suggestion);
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
