package dev.descent.doctor;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Kind;
import dev.descent.gradcheck.GradientCheck;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradcheck.NonRepeatable;
import dev.descent.loss.Reduction;
import dev.descent.network.Network;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The doctor's rules, one per kind of finding, in the order they are asked: each reads the
 * {@link Case} (and the findings of the rules before it, where one finding explains another) and
 * returns what it finds, or nothing. The texts are {@link Texts}' and {@link OutcomeTexts}'. A rule
 * can be tested on a case of one's own.
 */
final class Rules {
    private Rules() {}

    /** A rule: what it finds in the case, given the findings made before it. */
    @FunctionalInterface
    interface Rule {
        List<Finding> apply(Case c, List<Finding> earlier);
    }

    /** Every rule, in the order the doctor asks them. */
    static final List<Rule> ALL = List.of(Rules::featureScale, Rules::lossAtInit, Rules::explodingGradients,
            Rules::gradientsAtStart, Rules::rise, Rules::notFinite, DeadUnits::rule, Rules::stuck, Rules::heldOut,
            Rules::contradictions);

    /** The features' scale, found by the data's checks, with what --standardize did in a probe from the same start. */
    static List<Finding> featureScale(Case c, List<Finding> earlier) {
        for (Finding scale : c.dataFindings) {
            if (scale.kind() == Kind.FEATURE_SCALE) {
                return List.of(OutcomeTexts.withStandardizeProbe(scale, c.standardized(), c.probes.baseline(),
                        c.standardizeHelps()));
            }
        }
        return List.of();
    }

    /** A classifier's loss at the start far above ln k: a start that is confidently wrong. */
    static List<Finding> lossAtInit(Case c, List<Finding> earlier) {
        if (c.data.isRegression()) { // ln k is the start of a classifier; a regression loss has no such level
            return List.of();
        }
        double l0 = c.history.first().loss();
        double mean = c.loss.reduction() == Reduction.SUM ? l0 / c.data.size() : l0;
        double expected = Math.log(c.data.classCount());
        if (!Double.isFinite(mean) || mean <= 2 * expected + Doctor.INIT_LOSS_MARGIN) {
            return List.of();
        }
        return List.of(OutcomeTexts.lossAtInit(mean, c.data.classCount(), expected));
    }

    /** Exploding gradients: the run's own figures at the start, and the suited initialisation tried from the same seed. */
    static List<Finding> explodingGradients(Case c, List<Finding> earlier) {
        List<String> exploding = c.firstStep.exploding(c.perSample());
        if (exploding.isEmpty()) {
            return List.of();
        }
        return List.of(Texts.explodingGradients(c.firstStep, exploding, c.perSample(), c.initProbe(),
                c.probes.baseline(), c.initHelps()));
    }

    /** The run's gradients against central differences at the start: wrong, or not repeatable. */
    static List<Finding> gradientsAtStart(Case c, List<Finding> earlier) {
        if (c.startCheck.passed()) {
            return List.of();
        }
        Optional<NonRepeatable> noisy = GradientCheck.nonRepeatable(c.at(c.start), c.loss, c.first.featureMatrix(),
                c.first.labels());
        return List.of(noisy.isPresent()
                ? Texts.nonRepeatable(noisy.get(), "at the starting parameters, on the first " + c.first.size()
                        + " samples", c.startCheck)
                : Texts.wrongGradientAtStart(c.recipe.step().describe(), c.first.size(), c.startCheck));
    }

    /**
     * The loss rose: the gradients checked where it did. Wrong, or not repeatable, they are named;
     * right, the step was too large: unscaled features or exploding gradients when fixing those
     * did better in their probes, else a smaller learning rate found by probes long enough to
     * reach the rise.
     */
    static List<Finding> rise(Case c, List<Finding> earlier) {
        if (!c.rose() || !c.startCheck.passed()) {
            return List.of();
        }
        Watcher w = c.watcher;
        Dataset checked = c.data.head(Math.min(c.data.size(), Doctor.RISE_CHECK_SAMPLES));
        GradientCheckReport check = c.check(w.beforeRise, checked);
        if (!check.passed()) {
            Optional<NonRepeatable> noisy = GradientCheck.nonRepeatable(c.at(w.beforeRise), c.loss,
                    checked.featureMatrix(), checked.labels());
            return List.of(noisy.isPresent() ? Texts.nonRepeatable(noisy.get(), "at the parameters before the rise",
                    check) : Texts.wrongGradient(w, check));
        }
        if (c.standardizeHelps() && c.standardized().fell()) {
            return List.of(Texts.stepTooLargeFromScale(w, c.standardized()));
        }
        if (c.initHelps()) {
            return List.of(Texts.stepTooLargeFromInit(w, c.initProbe()));
        }
        Probes longer = c.probes.lasting(Math.max(c.probes.epochs, Math.min(c.recipe.epochs(), w.riseEpoch + 2)));
        boolean standardize = c.standardizeHelps();
        LearningRateProbe probe = LearningRateProbe.down(longer, standardize ? longer.standardized() : c.probeData,
                c.watched, c.recipe.learningRate());
        Probes.Outcome against = standardize ? longer.withStandardize() : longer.baseline();
        // A smaller rate is suggested only where the probes showed it clearly better than the run's own.
        boolean worth = probe.best != null && (c.history.diverged() || !against.fell()
                || probe.best.betterThan(against));
        if (c.recipe.gradient().equals("spsa")) { // too large for the estimate's variance: more directions, or a smaller rate
            int n = c.recipe.directions(), more = n * SpsaTexts.MORE_DIRECTIONS;
            return List.of(SpsaTexts.stepTooLarge(w, c.at(c.start).parameterCount(), n, probe,
                    longer.withDirections(more), more, c.firstStep, worth));
        }
        return List.of(Texts.stepTooLarge(w, probe, c.firstStep, worth, against, check));
    }

    /** NaN or infinity: where it first appeared, from a replay of the step. */
    static List<Finding> notFinite(Case c, List<Finding> earlier) {
        return c.notFinite().map(nf -> List.of(Texts.notFinite(nf, c.rose()))).orElse(List.of());
    }

    /** A loss that barely moved: a larger rate when probes find one; else, when nothing was learned, why not. */
    static List<Finding> stuck(Case c, List<Finding> earlier) {
        if (c.rose() || !c.startCheck.passed() || c.notFinite().isPresent() || has(earlier, Kind.DEAD_NETWORK)) {
            return List.of();
        }
        Stuck stuck = stuck(c);
        if (stuck == Stuck.NO) {
            return List.of();
        }
        LearningRateProbe up = LearningRateProbe.up(c.probes, c.probeData, c.watched, c.recipe.learningRate(),
                c.probes.baseline());
        if (up.found.isPresent()) {
            return List.of(Texts.stepTooSmall(c.history, up, c.firstStep));
        }
        return stuck == Stuck.NOTHING_LEARNED && !c.standardizeHelps() ? plateau(c, up) : List.of();
    }

    enum Stuck { NO, BARELY_MOVED, NOTHING_LEARNED }

    static Stuck stuck(Case c) {
        History.Row first = c.history.first(), last = c.history.last();
        if (c.data.isRegression()) {
            // Nothing learned: no better than predicting the targets' mean (R² within BASELINE_MARGIN of 0).
            if (last.loss() >= (1 - Doctor.BASELINE_MARGIN) * DeadUnits.meanPredictionLoss(c)) {
                return Stuck.NOTHING_LEARNED;
            }
            return first.loss() - last.loss() < Doctor.BARELY_MOVED * first.loss() ? Stuck.BARELY_MOVED : Stuck.NO;
        }
        Contradictions k = c.contradictions();
        double floor = k != null ? k.lossFloor(c.loss.reduction()) : 0;
        double ignoring = c.balance.ignoringInputLoss(c.loss.reduction());
        if (last.accuracy() <= c.balance.baseline() + Doctor.BASELINE_MARGIN
                && last.loss() >= Doctor.IGNORING_INPUT * ignoring) {
            return Stuck.NOTHING_LEARNED;
        }
        if (first.loss() - last.loss() < Doctor.BARELY_MOVED * (first.loss() - floor) && last.accuracy() < 0.99) {
            return Stuck.BARELY_MOVED;
        }
        return Stuck.NO;
    }

    /** Nothing learned and no larger rate helps: the loss at the level of a network that ignores its input, and why. */
    private static List<Finding> plateau(Case c, LearningRateProbe up) {
        List<String> evidence = new ArrayList<>();
        if (c.data.isRegression()) {
            evidence.add(OutcomeTexts.regressionPlateauEvidence(c.history, DeadUnits.meanPredictionLoss(c)));
        } else {
            evidence.add(OutcomeTexts.plateauEvidence(c.history, c.balance.ignoringInputLoss(c.loss.reduction()),
                    c.data.classNames().get(c.balance.majority()), c.balance.baseline()));
        }
        evidence.add(OutcomeTexts.largerRatesDidNoBetter(up));
        List<String> saturatedAtEnd = LayerStats.saturated(c.at(c.end), c.watched, 0.5);
        List<String> saturated = saturatedAtEnd.isEmpty() ? c.saturatedAtStart : saturatedAtEnd;
        List<Finding> causes = new ArrayList<>();
        String suggestion = OutcomeTexts.checkTheLabels(c.data.isRegression());
        if (c.firstStep.firstOverLast() < LayerStats.VANISHING_RATIO) {
            causes.add(Texts.vanishingGradients(c.firstStep));
            suggestion = "the early layers do not learn (see the gradients above)";
        }
        if (!saturated.isEmpty()) {
            causes.add(Texts.saturatedUnits(saturated));
            suggestion = "the units are saturated (see above)";
        }
        List<Finding> out = new ArrayList<>(List.of(Texts.plateau(evidence, suggestion)));
        out.addAll(causes);
        return out;
    }

    /** What held-out data says about the finished run: overfitting, the baseline, recall under imbalance. */
    static List<Finding> heldOut(Case c, List<Finding> earlier) {
        if (c.history.diverged()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        Network network = c.at(c.end);
        HeldOutChecks.overfitting(c.history).ifPresent(out::add);
        Dataset held = c.validation != null ? c.validation : c.test;
        String which = c.validation != null ? "validation" : "test";
        if (c.data.isRegression()) {
            HeldOutChecks.noBetterThanMean(network, held, which, held == null ? null : c.recipe.loss(held),
                    DeadUnits.meanTargets(c.data)).ifPresent(out::add);
        } else {
            HeldOutChecks.noBetterThanBaseline(network, held, which, c.balance, c.history, c.data.classNames())
                    .ifPresent(out::add);
        }
        if (c.balance != null && c.balance.ratio() >= DataChecks.IMBALANCE_RATIO) {
            HeldOutChecks.poorRecall(network, held != null ? held : c.data, held != null ? which : "training",
                    c.data.classNames()).ifPresent(out::add);
        }
        return out;
    }

    /** Identical inputs with different labels, and the limits they put on any model. */
    static List<Finding> contradictions(Case c, List<Finding> earlier) {
        Contradictions k = c.contradictions();
        if (k == null || !k.any()) {
            return List.of();
        }
        return List.of(OutcomeTexts.contradictoryData(c.data, k, k.lossFloor(c.loss.reduction()), c.history));
    }

    static boolean has(List<Finding> findings, Kind kind) {
        return findings.stream().anyMatch(f -> f.kind() == kind);
    }

    /** Whether a problem among {@code findings} already suggests a learning rate. */
    static boolean suggestsRate(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Finding.Severity.PROBLEM && f.fix().contains("--lr"));
    }

    /** The flags of a finding's fix, flag to value (null for a flag without one), in order. */
    static void flags(Finding f, Map<String, String> into) {
        List<String> fx = f.fix();
        for (int i = 0; i < fx.size(); i++) {
            boolean hasValue = i + 1 < fx.size() && !fx.get(i + 1).startsWith("--");
            into.put(fx.get(i), hasValue ? fx.get(++i) : null);
        }
    }
}
