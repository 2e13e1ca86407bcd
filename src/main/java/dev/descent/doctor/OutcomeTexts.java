package dev.descent.doctor;

import static dev.descent.doctor.Texts.accuracy;
import static dev.descent.doctor.Texts.format;

import dev.descent.data.Contradictions;
import dev.descent.data.Dataset;
import dev.descent.doctor.Finding.Kind;
import dev.descent.doctor.Finding.Severity;
import dev.descent.train.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the doctor says about where a run ended up: the features' scale and the loss at the start,
 * dead units, the loss stuck at the level of a network that ignores its input, contradictory data,
 * and a healthy run; apart from the rules that decide to say it ({@link Rules}).
 */
final class OutcomeTexts {
    private OutcomeTexts() {}

    /**
     * The scale finding with the --standardize probe's outcome (and the rates probed beside it, when
     * it did not work alone): a problem its fix fixes, or a note when nothing did.
     *
     * @param fix the flags that worked, or null
     */
    static Finding withStandardizeProbe(Finding scale, String with, String without, LearningRateProbe rates,
            List<String> fix) {
        List<String> evidence = new ArrayList<>(scale.evidence());
        evidence.add("probe from the same start: with --standardize " + with + "; as it is " + without);
        if (rates != null) {
            evidence.add("with --standardize at other rates, " + rates.epochs + " epochs each: " + rates.describe());
        }
        if (fix != null && rates == null) {
            return new Finding(Severity.PROBLEM, scale.kind(), scale.title(), evidence, scale.suggestion(), scale.fix());
        }
        if (fix != null) {
            return new Finding(Severity.PROBLEM, scale.kind(), scale.title(), evidence, "standardise them with "
                    + "--standardize (the model keeps the statistics), at a learning rate that suits standardised "
                    + "inputs: " + rates.suggestion(), fix);
        }
        return new Finding(Severity.NOTE, scale.kind(), scale.title(), evidence,
                "--standardize did not make the run learn clearly better in the probe; it is not what holds this "
                        + "run back", List.of());
    }

    /** @param adviseInit whether the run draws another initialisation than the one suited to its activations */
    static Finding lossAtInit(double mean, int classes, double expected, boolean adviseInit) {
        List<String> what = new ArrayList<>(List.of("inputs near mean 0 and sd 1 (--standardize)"));
        if (adviseInit) {
            what.add("the initialisation suited to the activations (he with relu, xavier otherwise)");
        }
        return new Finding(Severity.NOTE, Kind.LOSS_AT_INIT, lossAtInitTitle(mean, classes, expected),
                List.of("a network that starts without an opinion predicts every class with probability 1/k, a loss "
                        + "of ln k; far above it, the start is confidently wrong: outputs too large, from large "
                        + "inputs or large initial weights"),
                String.join(" and ", what) + " start nearer ln k");
    }

    private static String lossAtInitTitle(double mean, int classes, double expected) {
        return String.format(Locale.ROOT, "the loss at initialisation is %.4g per sample; about ln %d = %.4g is "
                + "expected", mean, classes, expected);
    }

    /** The loss at the start as evidence under the features' scale, which explains it. */
    static String lossAtInitLine(double mean, int classes, double expected) {
        return lossAtInitTitle(mean, classes, expected) + ": large inputs make large outputs, a start that is "
                + "confidently wrong";
    }

    // ---- dead units ---------------------------------------------------------------------------

    /** {@code layer 2 (relu): 20 of 20 units dead, the earliest since epoch 3}. */
    static String deadLine(int layer, int dead, int units, int since, boolean filters) {
        return String.format(Locale.ROOT, "layer %d (relu): %d of %d %s dead%s", layer, dead, units,
                filters ? "filters" : "units", since == 0 ? " from the start" : ", the earliest since epoch " + since);
    }

    /** {@code the loss is 23.0259 after epoch 100; a network that ignores its input can do no better than ...}. */
    static String ignoringInput(History history, double best, String why) {
        return String.format(Locale.ROOT, "the loss is %.6g after epoch %d; a network that ignores its input can do no "
                + "better than %.6g (%s)", history.last().loss(), history.last().epoch(), best, why);
    }

    static Finding deadNetwork(List<String> evidence) {
        return new Finding(Severity.PROBLEM, Kind.DEAD_NETWORK,
                "the network's output no longer depends on its input: a whole ReLU layer is dead", evidence,
                "a dead layer passes no gradient, so it will not come back by itself");
    }

    static Finding deadUnits(List<String> evidence) {
        return new Finding(Severity.NOTE, Kind.DEAD_UNITS, "some ReLU units are never active on the training data",
                evidence, "dead units no longer learn; if there are many, try a smaller learning rate, or features "
                        + "scaled to mean 0 and sd 1");
    }

    /** A dead layer as evidence under the features' scale, which --standardize fixes. */
    static String[] deadFromScale(Finding dead) {
        return consequence(dead, "large inputs pushed every unit below 0; with --standardize it does not");
    }

    /** The dead layer's evidence, then why it died: lines under the problem that explains it. */
    private static String[] consequence(Finding dead, String why) {
        List<String> lines = new ArrayList<>(dead.evidence());
        lines.set(0, "a whole ReLU layer died: " + lines.get(0));
        lines.add("the layer died because " + why);
        return lines.toArray(String[]::new);
    }

    /** A dead layer as evidence under exploding gradients, which the suited initialisation fixes. */
    static String[] deadFromExploding(Finding dead) {
        return consequence(dead, "the starting weights drove every unit below 0; from the suited initialisation it "
                + "does not");
    }

    /** A dead layer as evidence under a learning rate that was too large, whose smaller rate works. */
    static String[] deadFromRate(Finding dead) {
        return consequence(dead, "steps that large pushed every unit below 0; at the rate suggested it does not");
    }

    static Finding deadFromInit(Finding dead, String byInit, List<String> initFlags) {
        String label = String.join(" ", initFlags);
        List<String> evidence = new ArrayList<>(dead.evidence());
        evidence.add("probe from the same seed with " + label + ": " + byInit);
        return new Finding(Severity.PROBLEM, dead.kind(), dead.title(), evidence, "start from a scaled "
                + "initialisation (" + label + "): the starting weights drove every unit below 0", initFlags);
    }

    /**
     * The dead layer with the smaller rates probed (beside --standardize, when only both work): the
     * rate that worked; when none did, what was tried, and no advice that the probes contradict.
     *
     * @param byRate the rates probed
     * @param init   the suited initialisation's probe, described, when it was tried (and did not work)
     */
    static Finding deadWithRateProbe(Finding dead, LearningRateProbe byRate, String init, String initLabel) {
        List<String> evidence = new ArrayList<>(dead.evidence());
        if (init != null) {
            evidence.add("probe from the same seed with " + initLabel + ": " + init);
        }
        evidence.add("probes of " + byRate.epochs + " epochs from the same start" + (byRate.beside.isEmpty() ? ""
                : ", with " + String.join(" ", byRate.beside)) + ": " + byRate.describe());
        if (byRate.found.isPresent()) {
            return new Finding(dead.severity(), dead.kind(), dead.title(), evidence, byRate.suggestion(),
                    byRate.fix());
        }
        return new Finding(dead.severity(), dead.kind(), dead.title(), evidence, "none of the probed fixes ("
                + (init != null ? initLabel + ", " : "") + "smaller learning rates) made the run learn: the layer dies "
                + "whatever the step; try fewer or wider layers, or another activation");
    }

    // ---- a loss stuck where a network that ignores its input is ---------------------------------

    static String plateauEvidence(History h, double ignoringInputLoss, String majority, double baseline) {
        return String.format(Locale.ROOT, "after %d epochs the loss is %.6g and training accuracy %.1f%%; predicting "
                + "the class frequencies for every sample gives a loss of %.6g and always predicting '%s' %.1f%%",
                h.last().epoch(), h.last().loss(), 100 * h.last().accuracy(), ignoringInputLoss, majority, 100 * baseline);
    }

    static String regressionPlateauEvidence(History h, double meanLoss) {
        return String.format(Locale.ROOT, "after %d epochs the loss is %.6g; predicting the targets' mean for every "
                + "sample gives a loss of %.6g (R² = 0)", h.last().epoch(), h.last().loss(), meanLoss);
    }

    static String largerRatesDidNoBetter(LearningRateProbe up) {
        return "larger learning rates, probed for " + up.epochs + " epochs from the same start, did no better: "
                + String.join(", ", up.outcomes);
    }

    static String checkTheLabels(boolean regression) {
        return regression ? "check that --label names the target columns and that the features can predict them"
                : "check that --label names the class column and that the features can predict it";
    }

    // ---- contradictory data and the healthy case ----------------------------------------------

    static Finding contradictoryData(Dataset data, Contradictions c, double floor, History history) {
        List<String> evidence = new ArrayList<>();
        for (int[] group : c.groups()) {
            List<String> rows = new ArrayList<>(), labels = new ArrayList<>();
            for (int r : group) {
                rows.add(Integer.toString(r + 1));
                labels.add(data.classNames().get(data.labels()[r]));
            }
            evidence.add("rows " + String.join(", ", rows) + ": the same input "
                    + formatRow(data.featureMatrix().row(group[0])) + " with labels " + String.join(", ", labels));
        }
        evidence.add(String.format(Locale.ROOT, "no model can beat %.1f%% accuracy (%d of %d) or a loss of %.6g",
                100 * c.maxAccuracy(), c.maxCorrect(), c.samples(), floor));
        History.Row last = history.last();
        if (Double.isFinite(last.loss())) {
            evidence.add(String.format(Locale.ROOT, "this run reached %.1f%% and a loss of %.6g", 100 * last.accuracy(),
                    last.loss()));
        }
        boolean done = last.accuracy() >= c.maxAccuracy() - 1e-12 && last.loss() < floor * 1.25 + 1e-9;
        return new Finding(Severity.NOTE, Kind.CONTRADICTORY_DATA,
                "the data gives " + c.groups().size() + " input" + (c.groups().size() == 1 ? "" : "s")
                        + " two or more labels", evidence,
                done ? "training has done nearly all it can on this data"
                        : "judge the run against these limits, not against 100% and 0");
    }

    private static String formatRow(double[] row) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < row.length && i < 8; i++) {
            sb.append(i > 0 ? ", " : "").append(format(row[i]));
        }
        return sb.append(row.length > 8 ? ", ...]" : "]").toString();
    }

    static Finding healthy(History history) {
        History.Row first = history.first(), last = history.last();
        return new Finding(Severity.HEALTHY, Kind.HEALTHY,
                String.format(Locale.ROOT, "the loss fell from %.6g to %.6g over %d epochs%s", first.loss(), last.loss(),
                        last.epoch(), accuracy(", training accuracy", last)),
                List.of(), "");
    }
}
