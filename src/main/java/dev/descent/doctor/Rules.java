package dev.descent.doctor;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.gradcheck.GradientCheckReport;
import dev.descent.gradcheck.NonRepeatable;
import dev.descent.loss.Reduction;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The doctor's rules, one per kind of finding, in the order they are asked: each reads the
 * {@link Case} (and the findings of the rules before it, where one finding explains another) and
 * returns what it finds, or nothing. One cause, one problem: a finding that a problem above
 * explains (exploding gradients from unscaled inputs, nothing learned by a dead layer) is returned
 * as that problem with one more line of evidence, in its place. The texts are {@link Texts}',
 * {@link OutcomeTexts}' and {@link HeldOutTexts}'. A rule can be tested on a case of one's own.
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
            Rules::gradientsAtStart, Rules::step, Rules::rise, Rules::notFinite, DeadUnits::rule, Stuck::rule,
            Generalisation::rule, Rules::contradictions, LabelNoise::rule);

    /**
     * A finding of the key kind, once made, takes the place of earlier findings of these kinds: it
     * is their consequence, told as one problem with their evidence.
     */
    static final Map<Kind, Set<Kind>> ABSORBS = Map.of(Kind.POOR_RECALL, Set.of(Kind.CLASS_IMBALANCE, Kind.PLATEAU),
            Kind.LABELS_UNRELATED, Set.of(Kind.STEP_TOO_LARGE, Kind.STEP_TOO_SMALL, Kind.SLOW_PLATEAU, Kind.PLATEAU,
                    Kind.VANISHING_GRADIENTS, Kind.SATURATED_UNITS, Kind.DEAD_NETWORK, Kind.EXPLODING_GRADIENTS,
                    Kind.NO_BETTER_THAN_BASELINE,
                    Kind.GENERALISATION_GAP, Kind.OVERFITTING));

    /** The features' scale, found by the data's checks, with what --standardize did in a probe from the same start. */
    static List<Finding> featureScale(Case c, List<Finding> earlier) {
        for (Finding scale : c.dataFindings) {
            if (scale.kind() == Kind.FEATURE_SCALE) {
                return List.of(OutcomeTexts.withStandardizeProbe(scale, c.probes.describe(c.standardized()),
                        c.probes.describe(c.probes.baseline()), c.scaledRates(), c.standardizeFix()));
            }
        }
        return List.of();
    }

    /** A classifier's loss at the start far above ln k: a start that is confidently wrong; unscaled inputs explain it. */
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
        Finding scale = problem(earlier, Kind.FEATURE_SCALE);
        if (scale != null) {
            return List.of(scale.withEvidence(OutcomeTexts.lossAtInitLine(mean, c.data.classCount(), expected)));
        }
        return List.of(OutcomeTexts.lossAtInit(mean, c.data.classCount(), expected, c.suitedInit() != null));
    }

    /**
     * Exploding gradients: the run's own figures at the start. Under unscaled inputs that
     * --standardize fixes, and that do not explode once standardised, it is evidence of the scale;
     * else the suited initialisation is tried from the same seed (unless the run has it).
     */
    static List<Finding> explodingGradients(Case c, List<Finding> earlier) {
        List<String> exploding = c.firstStep.exploding(c.perSample());
        if (exploding.isEmpty()) {
            return List.of();
        }
        Finding scale = problem(earlier, Kind.FEATURE_SCALE);
        if (scale != null && !c.explodesStandardized()) {
            return List.of(scale.withEvidence(Texts.explodingFromScale(exploding, c.perSample())));
        }
        Probes.Outcome byInit = c.initProbe();
        return List.of(Texts.explodingGradients(c.firstStep, exploding, c.perSample(), byInit == null ? null
                : c.probes.describe(byInit), c.probes.describe(c.probes.baseline()), byInit == null ? null
                : byInit.flags(), c.initHelps(), c.recipe.init() == null));
    }

    /**
     * The run's gradients against central differences at the start: wrong, or not repeatable. A
     * source that moves the parameters while it measures is the step's finding ({@link #step}).
     */
    static List<Finding> gradientsAtStart(Case c, List<Finding> earlier) {
        if (c.startCheck.passed() || c.startCheck.moved() != null) {
            return List.of();
        }
        NonRepeatable noisy = c.startCheck.nonRepeatable();
        return List.of(noisy != null
                ? Texts.nonRepeatable(noisy, "at the starting parameters, on the first " + c.first.size()
                        + " samples", c.startCheck)
                : Texts.wrongGradientAtStart(c.recipe.step().describe(), c.first.size(), c.startCheck));
    }

    /** A user's own step with plain SGD that is not θ − lr·g at one θ, whatever the loss did. */
    static List<Finding> step(Case c, List<Finding> earlier) {
        StepCheck s = c.stepCheck;
        if (s == null || !s.wrong()) {
            return List.of();
        }
        return List.of(Texts.wrongStep(s, c.recipe.schedule().rate(1), c.history));
    }

    /**
     * The loss rose: the gradients checked where it did. Wrong, or not repeatable, they are named;
     * right, the step was too large: unscaled features or exploding gradients when fixing those
     * works in its probe (then the rise is their evidence), else a smaller learning rate that works
     * (beside --standardize when the features are far off and only both together work).
     */
    static List<Finding> rise(Case c, List<Finding> earlier) {
        if (!c.rose() || !c.startCheck.passed()) {
            return List.of();
        }
        Watcher w = c.watcher;
        Dataset checked = c.data.head(Math.min(c.data.size(), Doctor.RISE_CHECK_SAMPLES));
        GradientCheckReport check = c.check(w.beforeRise, checked);
        if (!check.passed()) {
            return List.of(check.nonRepeatable() != null
                    ? Texts.nonRepeatable(check.nonRepeatable(), "at the parameters before the rise", check)
                    : Texts.wrongGradient(w, check));
        }
        Finding cause = c.standardizeHelps() ? problem(earlier, Kind.FEATURE_SCALE)
                : c.initHelps() ? problem(earlier, Kind.EXPLODING_GRADIENTS) : null;
        if (cause != null) {
            return List.of(cause.withEvidence(Texts.riseTitle(w) + "; " + Texts.RIGHT_GRADIENT
                    + ": a consequence of the problem above, which its fix removes"));
        }
        LearningRateProbe probe = rates(c, earlier, LearningRateProbe::down);
        if (c.recipe.gradient().equals("spsa")) { // too large for the estimate's variance: more directions, or a smaller rate
            int n = c.recipe.directions(), more = n * SpsaTexts.MORE_DIRECTIONS;
            Probes.Outcome directions = c.probes.with(List.of("--directions", Integer.toString(more)));
            return List.of(SpsaTexts.stepTooLarge(w, c.at(c.start).parameterCount(), n, probe,
                    c.probes.describe(directions), more,
                    c.firstStep, c.probes.works(directions)));
        }
        return List.of(Texts.stepTooLarge(w, probe, c.firstStep, c.probes.learned(c.probes.baseline()), check));
    }

    /**
     * A rate ladder from the run's rate. (Far-off features with a rate that suits them once
     * standardised are the features' finding, {@link Case#standardizeFix}.)
     */
    static LearningRateProbe rates(Case c, List<Finding> earlier, Ladder ladder) {
        return ladder.probe(c.probes, List.of(), c.recipe.learningRate());
    }

    /** {@link LearningRateProbe#down} or {@link LearningRateProbe#up}. */
    @FunctionalInterface
    interface Ladder {
        LearningRateProbe probe(Probes probes, List<String> beside, double learningRate);
    }

    /** NaN or infinity: where it first appeared, from a replay of the step; after a rise too large, its evidence. */
    static List<Finding> notFinite(Case c, List<Finding> earlier) {
        if (c.notFinite().isEmpty()) {
            return List.of();
        }
        Finding nf = Texts.notFinite(c.notFinite().get(), c.rose());
        Finding rise = problem(earlier, Kind.STEP_TOO_LARGE);
        return List.of(rise != null && c.rose() ? rise.withEvidence(nf.title() + ", after that rise") : nf);
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

    /** The problem of that kind among {@code findings}, or null. */
    static Finding problem(List<Finding> findings, Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind && f.severity() == Severity.PROBLEM).findFirst()
                .orElse(null);
    }

    /** The first problem among {@code findings} whose kind is one of {@code kinds}, or null. */
    static Finding firstProblem(List<Finding> findings, Set<Kind> kinds) {
        return findings.stream().filter(f -> kinds.contains(f.kind()) && f.severity() == Severity.PROBLEM)
                .findFirst().orElse(null);
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
