package dev.descent.doctor;

import dev.descent.data.Dataset;
import dev.descent.loss.Reduction;
import dev.descent.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rule of dead ReLU units: units inactive on every watched sample at the end of the run,
 * per layer and since when (after a convolution, its filters: a filter inactive at every position); a layer with none alive leaves the output independent of the input,
 * and then three fixes are probed from the same start (the initialisation suited to the
 * activations, --standardize, smaller learning rates) and the one that ends lowest is suggested.
 */
final class DeadUnits {
    private DeadUnits() {}

    static List<Finding> rule(Case c, List<Finding> earlier) {
        if (c.notFinite().isPresent()) {
            return List.of();
        }
        Optional<Finding> dead = atEnd(c);
        if (dead.isEmpty()) {
            return List.of();
        }
        return List.of(dead.get().kind() == Finding.Kind.DEAD_NETWORK ? withFix(c, dead.get(), earlier) : dead.get());
    }

    /** The dead units at the end of the run, per layer; a dead network when a whole layer is. */
    private static Optional<Finding> atEnd(Case c) {
        dev.descent.network.Network end = c.at(c.end);
        Map<Integer, boolean[]> now = Watcher.activity(end, c.watched);
        List<String> evidence = new ArrayList<>();
        boolean wholeLayer = false;
        for (Map.Entry<Integer, boolean[]> e : now.entrySet()) {
            int dead = 0, since = Integer.MAX_VALUE;
            int[] last = c.watcher.lastActive.get(e.getKey());
            for (int j = 0; j < e.getValue().length; j++) {
                if (!e.getValue()[j]) {
                    dead++;
                    since = Math.min(since, (last == null ? -1 : last[j]) + 1);
                }
            }
            if (dead > 0) {
                int units = e.getValue().length;
                wholeLayer |= dead == units;
                evidence.add(OutcomeTexts.deadLine(e.getKey() + 1, dead, units, since,
                        end.outputShapes().get(e.getKey()) != null));
            }
        }
        if (evidence.isEmpty()) {
            return Optional.empty();
        }
        if (!wholeLayer) {
            return Optional.of(OutcomeTexts.deadUnits(evidence));
        }
        evidence.add(c.data.isRegression()
                ? OutcomeTexts.ignoringInput(c.history, meanPredictionLoss(c), c.recipe.regressionLoss().equals("mse")
                        ? "the targets' variance, R² = 0, for mean squared error"
                        : "the loss of predicting the targets' mean, R² = 0")
                : ignoringInputClassifier(c));
        return Optional.of(OutcomeTexts.deadNetwork(evidence));
    }

    /**
     * A network that ignores its input predicts one distribution for every sample; the best one is
     * the class frequencies, whose loss is their entropy: n ln k for balanced classes.
     */
    private static String ignoringInputClassifier(Case c) {
        Dataset data = c.data;
        double best = 0;
        int[] counts = new int[data.classCount()];
        for (int label : data.labels()) {
            counts[label]++;
        }
        for (int n : counts) {
            best -= n == 0 ? 0 : n * Math.log((double) n / data.size());
        }
        if (c.loss.reduction() == Reduction.MEAN) {
            best /= data.size();
        }
        boolean balanced = Arrays.stream(counts).allMatch(n -> n == counts[0]);
        return OutcomeTexts.ignoringInput(c.history, best, balanced ? String.format(Locale.ROOT,
                "n ln k = %d ln %d, uniform predictions", data.size(), data.classCount())
                : "the entropy of the class frequencies");
    }

    /**
     * Three fixes can revive a dead layer, probed from the same start in turn: the features' scale
     * and the starting weights (when --standardize, or the initialisation suited to the activations,
     * works and the gradients explode, the dead layer is their consequence, told under that problem,
     * as it is under a rate above whose smaller rate works; the suited initialisation is tried unless
     * the run has it), then smaller rates. The first
     * that works is the fix; when none works, the finding says what was tried, and suggests none of it.
     */
    private static Finding withFix(Case c, Finding dead, List<Finding> earlier) {
        Finding scale = Rules.problem(earlier, Finding.Kind.FEATURE_SCALE);
        if (scale != null && c.standardizeHelps()) {
            return scale.withEvidence(OutcomeTexts.deadFromScale(dead));
        }
        Finding exploding = Rules.problem(earlier, Finding.Kind.EXPLODING_GRADIENTS);
        if (exploding != null && c.initHelps()) {
            return exploding.withEvidence(OutcomeTexts.deadFromExploding(dead));
        }
        Finding rate = earlier.stream().filter(f -> f.severity() == Finding.Severity.PROBLEM
                && f.fix().contains("--lr")).findFirst().orElse(null);
        if (rate != null) { // the steps that were too large killed it; the rate above, verified, does not
            return rate.withEvidence(OutcomeTexts.deadFromRate(dead));
        }
        Probes.Outcome init = c.initProbe();
        if (init != null && c.probes.works(init)) {
            return OutcomeTexts.deadFromInit(dead, c.probes.describe(init), init.flags());
        }
        LearningRateProbe byRate = Rules.rates(c, earlier, LearningRateProbe::down);
        return OutcomeTexts.deadWithRateProbe(dead, byRate, init == null ? null : c.probes.describe(init),
                init == null ? null : String.join(" ", init.flags()));
    }

    /**
     * The loss of predicting the targets' mean for every row of a regression set: the best a
     * network that ignores its input can do under mean squared error (R² = 0), with the run's own loss.
     */
    static double meanPredictionLoss(Case c) {
        return HeldOutChecks.constantLoss(c.recipe.loss(c.data), c.data, meanTargets(c.data));
    }

    /** The mean of each target over the rows of a regression set. */
    static double[] meanTargets(Dataset data) {
        Matrix y = data.rowTargets();
        double[] mean = new double[y.cols()];
        for (int r = 0; r < y.rows(); r++) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += (y.get(r, j) - mean[j]) / (r + 1);
            }
        }
        return mean;
    }
}
