package dev.descent.doctor;

import dev.descent.data.Contradictions;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule of a loss that does not get far: it barely moved, it sat near the level of a network
 * that ignores its input for many epochs (a slow plateau), or nothing was learned. Larger rates
 * are probed (and momentum, for a slow plateau under plain SGD); the one that works is the fix.
 * When nothing was learned and nothing probed works, the plateau is named with its cause when the
 * start shows one (gradients that vanish through depth, saturated units), as one problem.
 */
final class Stuck {
    /** A slow plateau: after at least {@link #SLOW_PLATEAU_EPOCHS} epochs, a loss of at least this fraction of the class-frequency loss. */
    static final double SLOW_PLATEAU_LEVEL = 0.95;
    static final int SLOW_PLATEAU_EPOCHS = 10;

    enum How { NO, BARELY_MOVED, SLOW_PLATEAU, NOTHING_LEARNED }

    private Stuck() {}

    static List<Finding> rule(Case c, List<Finding> earlier) {
        if (c.rose() || !c.startCheck.passed() || c.notFinite().isPresent() || c.deadAtEnd()) {
            return List.of();
        }
        How how = how(c);
        if (how == How.NO) {
            return List.of();
        }
        LearningRateProbe up = Rules.rates(c, earlier, LearningRateProbe::up);
        if (up.found.isPresent()) {
            return List.of(how == How.SLOW_PLATEAU ? Texts.slowPlateau(c.history, c.judge, up, null, c.probes)
                    : Texts.stepTooSmall(c.history, up, c.firstStep, c.probes));
        }
        if (how == How.SLOW_PLATEAU && c.recipe.optimizer().equals("sgd")) {
            Probes.Outcome momentum = c.probes.with(List.of("--optimizer", "momentum"));
            if (c.probes.works(momentum)) {
                return List.of(Texts.slowPlateau(c.history, c.judge, up, momentum, c.probes));
            }
        }
        if (how != How.NOTHING_LEARNED || c.standardizeHelps()) {
            return List.of();
        }
        Probes.Outcome init = c.initProbe();
        List<Finding> plateau = plateau(c, up);
        if (init != null && c.probes.works(init)) { // nothing learned from the starting weights: the suited ones work
            return List.of(Texts.plateauFromInit(plateau.get(0), c.probes.describe(init), init.flags()));
        }
        return plateau;
    }

    static How how(Case c) {
        History.Row first = c.history.first(), last = c.history.last();
        if (c.data.isRegression()) {
            // Nothing learned: no better than predicting the targets' mean (R² within BASELINE_MARGIN of 0).
            if (last.loss() >= (1 - Judge.BASELINE_MARGIN) * DeadUnits.meanPredictionLoss(c)) {
                return How.NOTHING_LEARNED;
            }
            return first.loss() - last.loss() < Doctor.BARELY_MOVED * first.loss() ? How.BARELY_MOVED : How.NO;
        }
        Contradictions k = c.contradictions();
        double floor = k != null ? k.lossFloor(c.loss.reduction()) : 0;
        double ignoring = c.balance.ignoringInputLoss(c.loss.reduction());
        boolean atBaseline = last.accuracy() <= c.balance.baseline() + Doctor.BASELINE_MARGIN;
        if (atBaseline && last.loss() >= Doctor.IGNORING_INPUT * ignoring) {
            return How.NOTHING_LEARNED;
        }
        if (last.epoch() >= SLOW_PLATEAU_EPOCHS && last.loss() >= SLOW_PLATEAU_LEVEL * ignoring) {
            return How.SLOW_PLATEAU;
        }
        if (first.loss() - last.loss() < Doctor.BARELY_MOVED * (first.loss() - floor) && last.accuracy() < 0.99) {
            return How.BARELY_MOVED;
        }
        return How.NO;
    }

    /**
     * Nothing learned and no larger rate helps: the loss at the level of a network that ignores its
     * input; one problem, named by its cause when the start shows one.
     */
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
        if (c.firstStep.firstOverLast() < LayerStats.VANISHING_RATIO) {
            return List.of(Texts.vanishingGradients(c.firstStep, evidence, saturated));
        }
        if (!saturated.isEmpty()) {
            return List.of(Texts.saturatedUnits(saturated, evidence));
        }
        return List.of(Texts.plateau(evidence, OutcomeTexts.checkTheLabels(c.data.isRegression())));
    }
}
